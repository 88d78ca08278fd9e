package dev.cwom.ingest.constraints;

import dev.cwom.ingest.store.Created;
import dev.cwom.ingest.store.CwomRows;
import dev.cwom.ingest.store.CwomTables;
import dev.cwom.ingest.problems.ApiProblem;
import dev.cwom.ingest.web.Page;
import dev.cwom.ingest.web.PageQuery;
import dev.cwom.ingest.web.RequestValidator;
import dev.cwom.model.ConstraintSnapshot;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** ConstraintSnapshots: immutable operating envelopes; {@code captured_at} defaults to the time of creation. */
@Service
public class ConstraintSnapshotService {

    private final CwomRows rows;
    private final RequestValidator validator;

    public ConstraintSnapshotService(CwomRows rows, RequestValidator validator) {
        this.rows = rows;
        this.validator = validator;
    }

    /** Creates the snapshot and answers it as stored (the REST API's 201 or 200). */
    @Transactional
    public Created<ConstraintSnapshot> create(ConstraintSnapshot snapshot) {
        Created<String> stored = store(snapshot);
        return new Created<>(get(stored.object()), stored.created());
    }

    /** {@link #create} answering only the id (and whether this call stored it), for writers that need no more. */
    @Transactional
    public Created<String> store(ConstraintSnapshot snapshot) {
        validator.validate(snapshot);
        return rows.store(CwomTables.CONSTRAINT_SNAPSHOTS, snapshot,
                () -> new IllegalStateException("cwom_constraint_snapshots has no unique key besides its id"));
    }

    @Transactional(readOnly = true)
    public ConstraintSnapshot get(String id) {
        return rows.find(CwomTables.CONSTRAINT_SNAPSHOTS, id, ConstraintSnapshot.class)
                .orElseThrow(() -> ApiProblem.notFound(ConstraintSnapshot.KIND, id));
    }

    @Transactional(readOnly = true)
    public Page<ConstraintSnapshot> list(@Nullable String scope, PageQuery page) {
        return Page.of(rows.list(CwomTables.CONSTRAINT_SNAPSHOTS, CwomRows.filters("scope", scope), page.cursor(),
                page.limit() + 1, ConstraintSnapshot.class), page, ConstraintSnapshot::id);
    }
}
