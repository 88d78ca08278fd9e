package dev.cwom.ingest.repos;

import dev.cwom.ingest.store.Created;
import dev.cwom.ingest.store.CwomRows;
import dev.cwom.ingest.store.CwomTables;
import dev.cwom.ingest.problems.ApiProblem;
import dev.cwom.ingest.web.Page;
import dev.cwom.ingest.web.PageQuery;
import dev.cwom.ingest.web.RequestValidator;
import dev.cwom.model.Repo;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Repos: created idempotently, unique by slug. */
@Service
public class RepoService {

    private final CwomRows rows;
    private final RequestValidator validator;

    public RepoService(CwomRows rows, RequestValidator validator) {
        this.rows = rows;
        this.validator = validator;
    }

    /** Creates the Repo and answers it as stored (the REST API's 201 or 200). */
    @Transactional
    public Created<Repo> create(Repo repo) {
        Created<String> stored = store(repo);
        return new Created<>(get(stored.object()), stored.created());
    }

    /** {@link #create} answering only the id (and whether this call stored it), for writers that need no more. */
    @Transactional
    public Created<String> store(Repo repo) {
        validator.validate(repo);
        return rows.store(CwomTables.REPOS, repo, () -> slugTaken(repo.slug()));
    }

    @Transactional(readOnly = true)
    public Repo get(String id) {
        return rows.find(CwomTables.REPOS, id, Repo.class).orElseThrow(() -> ApiProblem.notFound(Repo.KIND, id));
    }

    @Transactional(readOnly = true)
    public Page<Repo> list(@Nullable String slug, PageQuery page) {
        return Page.of(rows.list(CwomTables.REPOS, CwomRows.filters("slug", slug), page.cursor(), page.limit() + 1, Repo.class),
                page, Repo::id);
    }

    /** The Repo with {@code slug}, created (named after the slug) when there is none; safe under concurrency. */
    @Transactional
    public Repo findOrCreateBySlug(String slug) {
        Optional<Repo> existing = bySlug(slug);
        if (existing.isPresent()) {
            return existing.get();
        }
        Repo repo = new Repo(null, null, slug, slug, null, null, null, null, null, null, null, null, null, null);
        validator.validate(repo);
        Repo stored = (Repo) repo.withIdentity(dev.cwom.model.Ids.newUlid(), CwomRows.now(), CwomRows.now());
        if (rows.insert(CwomTables.REPOS, stored, null)) {
            return stored;
        }
        // a concurrent request created it first; its insert is committed, so it is visible now
        return bySlug(slug).orElseThrow(() -> slugTaken(slug));
    }

    private Optional<Repo> bySlug(String slug) {
        return rows.list(CwomTables.REPOS, CwomRows.filters("slug", slug), null, 1, Repo.class).stream().findFirst();
    }

    private ApiProblem slugTaken(String slug) {
        String owner = bySlug(slug).map(Repo::id).orElse("another repo");
        return ApiProblem.conflict("SLUG_TAKEN", "Repo slug '" + slug + "' is already used by Repo '" + owner
                + "'; slugs are unique: choose another slug or use that Repo", Map.of("slug", slug, "existing_id", owner));
    }
}
