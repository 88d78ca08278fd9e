package dev.cwom.ingest.doctrine;

import dev.cwom.ingest.web.Page;
import dev.cwom.ingest.web.PageQuery;
import dev.cwom.ingest.web.Responses;
import dev.cwom.model.DoctrineRef;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/cwom/doctrine-refs")
class DoctrineRefController {

    private final DoctrineRefService doctrine;

    DoctrineRefController(DoctrineRefService doctrine) {
        this.doctrine = doctrine;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<DoctrineRef> createDoctrineRef(@RequestBody DoctrineRef ref) {
        return Responses.created(doctrine.create(ref), "/cwom/doctrine-refs");
    }

    @GetMapping("/{id}")
    DoctrineRef getDoctrineRef(@PathVariable String id) {
        return doctrine.get(id);
    }

    @GetMapping
    Page<DoctrineRef> listDoctrineRefs(@RequestParam(required = false) @Nullable String namespace,
            @RequestParam(required = false) @Nullable String name,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor) {
        return doctrine.list(namespace, name, PageQuery.of(limit, cursor));
    }
}
