package dev.cwom.ingest.lineage;

import dev.cwom.ingest.web.Page;
import dev.cwom.ingest.web.PageQuery;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /cwom/artifacts/{id}/lineage} and {@code GET /cwom/lineage?digest=} (scope {@code cwom.read}). */
@RestController
class LineageController {

    private final Lineage lineage;

    LineageController(Lineage lineage) {
        this.lineage = lineage;
    }

    @GetMapping("/cwom/artifacts/{id}/lineage")
    ArtifactLineage ofArtifact(@PathVariable String id) {
        return lineage.ofArtifact(id);
    }

    @GetMapping("/cwom/lineage")
    Page<LineageItem> ofDigest(@RequestParam(required = false) @Nullable String digest,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor) {
        return lineage.ofDigest(digest, PageQuery.of(limit, cursor));
    }
}
