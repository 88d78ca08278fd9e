package dev.cwom.ingest.sinkcontract;

import dev.cwom.ingest.store.CwomReader;
import dev.cwom.ingest.store.CwomRows;
import dev.cwom.ingest.store.CwomTable;
import dev.cwom.model.Artifact;
import dev.cwom.model.Issue;
import dev.cwom.model.Repo;
import dev.cwom.model.Run;
import dev.cwom.model.Status;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Runs and Artifacts as the sink stored them, read from its published views only. The columns named here are all
 * the contract ingest relies on; {@code SinkContractTests} checks them against the views and the published
 * description. It reads ingest's own database, in the caller's transaction, unless
 * {@code cwom.ingest.sink-contract.url} names the sink's: then on connections of its own (views are only read).
 */
public class SinkContract {

    /** Runs, with their CWOM fields (references as ids). */
    public static final CwomTable RUNS = CwomTable.named("sink_runs_v1", Run.KIND)
            .ref("for_issue", "issue_id", Issue.KIND).ref("repo", "repo_id", Repo.KIND).text("status", "mode")
            .jsonb("executor", "inputs", "plan", "telemetry", "cost", "outputs", "failure").build(false);

    /** Artifacts, with their CWOM fields (references as ids). */
    public static final CwomTable ARTIFACTS = CwomTable.named("sink_artifacts_v1", Artifact.KIND)
            .ref("produced_by", "run_id", Run.KIND).ref("for_issue", "issue_id", Issue.KIND)
            .text("type", "title", "uri", "digest", "media_type").bigint("size_bytes").text("preview")
            .jsonb("verification").build(false);

    /** One row per pinned input of a run: run_id, kind, id, version, digest (indexed by digest). */
    static final String RUN_INPUTS = "sink_run_inputs_v1";

    private final JdbcClient jdbc;
    private final CwomReader reader;

    public SinkContract(JdbcClient jdbc) {
        this.jdbc = jdbc;
        this.reader = new CwomReader(jdbc);
    }

    public Optional<Run> run(String id) {
        return reader.find(RUNS, id, Run.class);
    }

    /** Runs in id order after {@code cursor}, matching every non-null filter on the view's columns. */
    public List<Run> runs(Map<String, @Nullable String> filters, @Nullable String cursor, int limit) {
        return reader.list(RUNS, filters, cursor, limit, Run.class);
    }

    public boolean runStored(String id) {
        return !reader.existing(RUNS, List.of(id)).isEmpty();
    }

    /** The stored run's status, for {@code ?wait}. */
    public Optional<Status> runStatus(String id) {
        return jdbc.sql("SELECT status FROM " + RUNS.name() + " WHERE id = :id").param("id", id)
                .query(String.class).optional().map(Status::of);
    }

    /** The Issue of the stored run. */
    public Optional<String> runIssue(String id) {
        return jdbc.sql("SELECT issue_id FROM " + RUNS.name() + " WHERE id = :id").param("id", id)
                .query(String.class).optional();
    }

    /** (issue id, run id) of the stored runs of these Issues, in that order, at most {@code limit}. */
    public List<Map.Entry<String, String>> runIdsOfIssues(List<String> issueIds, int limit) {
        if (issueIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT issue_id, id FROM " + RUNS.name() + " WHERE issue_id IN (:ids) "
                        + "ORDER BY issue_id, id LIMIT :limit").param("ids", issueIds).param("limit", limit)
                .query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2))).list();
    }

    /**
     * Which worker ran the stored run and from which work order (its event id); both null for a run reported over
     * REST. Empty when the sink has not stored the run.
     */
    public Optional<RunOrigin> runOrigin(String id) {
        return jdbc.sql("SELECT worker_id, work_order_event_id FROM " + RUNS.name() + " WHERE id = :id")
                .param("id", id)
                .query((rs, n) -> new RunOrigin(rs.getString("worker_id"), rs.getString("work_order_event_id")))
                .optional();
    }

    /** Where a stored run came from; see {@link #runOrigin}. */
    public record RunOrigin(@Nullable String workerId, @Nullable String workOrderEventId) {
    }

    /** Ids of the runs that pinned an input with {@code digest}, in id order after {@code cursor}. */
    public List<String> runIdsPinning(String digest, @Nullable String cursor, int limit) {
        return jdbc.sql("SELECT DISTINCT run_id FROM " + RUN_INPUTS + " WHERE digest = :digest"
                        + (cursor == null ? "" : " AND run_id > :cursor") + " ORDER BY run_id LIMIT :limit")
                .param("digest", digest).param("limit", limit).params(cursor == null ? Map.of() : Map.of("cursor", cursor))
                .query(String.class).list();
    }

    /** Artifacts whose content has {@code digest}, in id order after {@code cursor}. */
    public List<Artifact> artifactsWithDigest(String digest, @Nullable String cursor, int limit) {
        return reader.list(ARTIFACTS, CwomRows.filters("digest", digest), cursor, limit, Artifact.class);
    }

    public Optional<Artifact> artifact(String id) {
        return reader.find(ARTIFACTS, id, Artifact.class);
    }

    /** Artifacts in id order after {@code cursor}, matching every non-null filter on the view's columns. */
    public List<Artifact> artifacts(Map<String, @Nullable String> filters, @Nullable String cursor, int limit) {
        return reader.list(ARTIFACTS, filters, cursor, limit, Artifact.class);
    }

    public boolean artifactStored(String id) {
        return !reader.existing(ARTIFACTS, List.of(id)).isEmpty();
    }
}
