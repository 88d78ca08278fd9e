package dev.cwom.ingest.constraints;

import dev.cwom.ingest.web.Immutable;
import dev.cwom.ingest.web.Page;
import dev.cwom.ingest.web.PageQuery;
import dev.cwom.ingest.web.QueryParams;
import dev.cwom.ingest.web.Responses;
import dev.cwom.model.ConstraintScope;
import dev.cwom.model.ConstraintSnapshot;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(ConstraintSnapshotController.PATH)
class ConstraintSnapshotController {

    static final String PATH = "/cwom/constraint-snapshots";

    private final ConstraintSnapshotService snapshots;

    ConstraintSnapshotController(ConstraintSnapshotService snapshots) {
        this.snapshots = snapshots;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ConstraintSnapshot> createConstraintSnapshot(@RequestBody ConstraintSnapshot snapshot) {
        return Responses.created(snapshots.create(snapshot), PATH);
    }

    @GetMapping("/{id}")
    ConstraintSnapshot getConstraintSnapshot(@PathVariable String id) {
        return snapshots.get(id);
    }

    /** ConstraintSnapshots are immutable: changing one is refused with 405. */
    @RequestMapping(path = "/{id}", method = {RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE})
    ResponseEntity<Void> changeConstraintSnapshot(@PathVariable String id) {
        throw Immutable.refused(ConstraintSnapshot.KIND, PATH);
    }

    @GetMapping
    Page<ConstraintSnapshot> listConstraintSnapshots(@RequestParam(required = false) @Nullable String scope,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor) {
        return snapshots.list(QueryParams.enumValue("scope", scope, ConstraintScope.class), PageQuery.of(limit, cursor));
    }
}
