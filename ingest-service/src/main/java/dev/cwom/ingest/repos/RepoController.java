package dev.cwom.ingest.repos;

import dev.cwom.ingest.web.Page;
import dev.cwom.ingest.web.PageQuery;
import dev.cwom.ingest.web.Responses;
import dev.cwom.model.Repo;
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
@RequestMapping("/cwom/repos")
class RepoController {

    private final RepoService repos;

    RepoController(RepoService repos) {
        this.repos = repos;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Repo> createRepo(@RequestBody Repo repo) {
        return Responses.created(repos.create(repo), "/cwom/repos");
    }

    @GetMapping("/{id}")
    Repo getRepo(@PathVariable String id) {
        return repos.get(id);
    }

    @GetMapping
    Page<Repo> listRepos(@RequestParam(required = false) @Nullable String slug,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor) {
        return repos.list(slug, PageQuery.of(limit, cursor));
    }
}
