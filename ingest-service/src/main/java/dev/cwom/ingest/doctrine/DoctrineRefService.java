package dev.cwom.ingest.doctrine;

import dev.cwom.ingest.store.Created;
import dev.cwom.ingest.store.CwomRows;
import dev.cwom.ingest.store.CwomTables;
import dev.cwom.ingest.store.References;
import dev.cwom.ingest.problems.ApiProblem;
import dev.cwom.ingest.web.Page;
import dev.cwom.ingest.web.PageQuery;
import dev.cwom.ingest.web.RequestValidator;
import dev.cwom.model.DoctrineRef;
import dev.cwom.model.Repo;
import dev.cwom.policy.PolicyDoctrine;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** DoctrineRefs: governing rules, unique by (namespace, name, version). */
@Service
public class DoctrineRefService {

    private final CwomRows rows;
    private final References references;
    private final RequestValidator validator;

    public DoctrineRefService(CwomRows rows, References references, RequestValidator validator) {
        this.rows = rows;
        this.references = references;
        this.validator = validator;
    }

    @Transactional
    public Created<DoctrineRef> create(DoctrineRef doctrine) {
        validator.validate(doctrine);
        if (PolicyDoctrine.NAMESPACE.equals(doctrine.namespace())) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "RESERVED_NAMESPACE", "DoctrineRef namespace '"
                    + PolicyDoctrine.NAMESPACE + "' is the operator's: its policy versions are published with PUT"
                    + " /cwom/admin/policy only; use another namespace", Map.of("namespace", doctrine.namespace()));
        }
        return store(doctrine);
    }

    /** Stores a version of the operator's policy ({@code PolicyStore} only: the namespace is refused to clients). */
    @Transactional
    public DoctrineRef createOperatorPolicy(DoctrineRef doctrine) {
        validator.validate(doctrine);
        return store(doctrine).object();
    }

    private Created<DoctrineRef> store(DoctrineRef doctrine) {
        references.requireExisting(References.check()
                .refs("$.applicability.repo_refs", doctrine.applicability().repoRefs(), Repo.KIND));
        return rows.create(CwomTables.DOCTRINE_REFS, doctrine, DoctrineRef.class, () -> versionTaken(doctrine));
    }

    @Transactional(readOnly = true)
    public DoctrineRef get(String id) {
        return rows.find(CwomTables.DOCTRINE_REFS, id, DoctrineRef.class)
                .orElseThrow(() -> ApiProblem.notFound(DoctrineRef.KIND, id));
    }

    @Transactional(readOnly = true)
    public Page<DoctrineRef> list(@Nullable String namespace, @Nullable String name, PageQuery page) {
        return Page.of(rows.list(CwomTables.DOCTRINE_REFS, CwomRows.filters("namespace", namespace, "name", name),
                page.cursor(), page.limit() + 1, DoctrineRef.class), page, DoctrineRef::id);
    }

    private ApiProblem versionTaken(DoctrineRef doctrine) {
        String existing = rows.jdbc().sql("SELECT id FROM cwom_doctrine_refs WHERE namespace = :ns AND name = :name "
                        + "AND version = :version")
                .param("ns", doctrine.namespace()).param("name", doctrine.name()).param("version", doctrine.version())
                .query(String.class).optional().orElse("another doctrine ref");
        return ApiProblem.conflict("VERSION_EXISTS", "DoctrineRef " + doctrine.namespace() + "/" + doctrine.name()
                + " version '" + doctrine.version() + "' already exists ('" + existing + "'); publish a new version",
                Map.of("existing_id", existing, "version", doctrine.version()));
    }
}
