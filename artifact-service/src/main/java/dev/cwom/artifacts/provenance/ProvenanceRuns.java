package dev.cwom.artifacts.provenance;

import dev.cwom.events.RunEventMapping;
import dev.cwom.json.CwomJson;
import dev.cwom.model.Ref;
import dev.cwom.model.Run;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;

/** Reads the runs due for provenance and records what was emitted for them ({@code cwom_run_provenance}). */
final class ProvenanceRuns {

    /** The due runs, locked for this round so that several instances never emit for the same run. */
    private static final String DUE = """
            SELECT p.run_id, p.start_emitted_at IS NOT NULL AS start_emitted, r.issue_id, r.repo_id, r.status,
                   r.started_event_id, r.worker_id, r.executor, r.inputs, r.telemetry, r.outputs, r.failure, r.meta
            FROM cwom_run_provenance p JOIN cwom_runs r ON r.id = p.run_id
            WHERE p.finish_emitted_at IS NULL
            ORDER BY p.checked_at NULLS FIRST, p.run_id
            LIMIT ?
            FOR UPDATE OF p SKIP LOCKED""";

    private static final String ARTIFACTS = """
            SELECT id, run_id, type, title, uri, digest, media_type, size_bytes,
                   coalesce(verification->>'status', 'unverified') AS verification
            FROM cwom_artifacts WHERE run_id = ANY (?) ORDER BY id""";

    private final JdbcTemplate jdbc;

    ProvenanceRuns(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Up to {@code limit} due runs with their artifacts; call inside the round's transaction. */
    List<ProvenanceRun> due(int limit) {
        List<Row> rows = jdbc.query(DUE, (rs, n) -> row(rs), limit);
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<String, List<ProvenanceRun.StoredArtifact>> artifacts = new HashMap<>();
        String[] ids = rows.stream().map(r -> r.runId).toArray(String[]::new);
        jdbc.query(ARTIFACTS, ps -> ps.setArray(1, ps.getConnection().createArrayOf("text", ids)), rs -> {
            long size = rs.getLong("size_bytes");
            artifacts.computeIfAbsent(rs.getString("run_id"), k -> new ArrayList<>()).add(
                    new ProvenanceRun.StoredArtifact(rs.getString("id"), rs.getString("type"), rs.getString("title"),
                            rs.getString("uri"), rs.getString("digest"), rs.getString("media_type"),
                            rs.wasNull() ? null : size, rs.getString("verification")));
        });
        return rows.stream().map(r -> r.toRun(artifacts.getOrDefault(r.runId, List.of()))).toList();
    }

    /** The run is not finished yet (its START may have been emitted now): the next rounds take others first. */
    void checked(String runId, boolean startEmitted) {
        jdbc.update("UPDATE cwom_run_provenance SET checked_at = clock_timestamp(), start_emitted_at = CASE WHEN ?"
                + " THEN coalesce(start_emitted_at, now()) ELSE start_emitted_at END WHERE run_id = ?", startEmitted,
                runId);
    }

    void finishEmitted(String runId, @Nullable String attestationId) {
        jdbc.update("UPDATE cwom_run_provenance SET start_emitted_at = coalesce(start_emitted_at, now()),"
                + " finish_emitted_at = now(), attestation_id = ? WHERE run_id = ?", attestationId, runId);
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getString("run_id"), rs.getBoolean("start_emitted"), rs.getString("issue_id"),
                rs.getString("repo_id"), rs.getString("status"), rs.getString("started_event_id") != null,
                rs.getString("worker_id"), rs.getString("executor"), rs.getString("inputs"),
                rs.getString("telemetry"), rs.getString("outputs"), rs.getString("failure"), rs.getString("meta"));
    }

    private record Row(String runId, boolean startEmitted, String issueId, String repoId, String status,
            boolean started, @Nullable String workerId, @Nullable String executor, @Nullable String inputs,
            @Nullable String telemetry, @Nullable String outputs, @Nullable String failure, @Nullable String meta) {

        ProvenanceRun toRun(List<ProvenanceRun.StoredArtifact> artifacts) {
            Map<String, Object> metaMap = meta == null ? Map.of() : RunEventMapping.meta(meta);
            Set<String> listed = new LinkedHashSet<>();
            if (outputs != null) {
                read(outputs, Run.Outputs.class).artifacts().stream().map(Ref::id).forEach(listed::add);
            }
            return new ProvenanceRun(runId, issueId, repoId, status, started, startEmitted, workerId,
                    executor == null ? null : read(executor, Run.Executor.class),
                    started && inputs != null ? read(inputs, Run.Inputs.class) : null,
                    telemetry == null ? new Run.Telemetry(null, null, null) : read(telemetry, Run.Telemetry.class),
                    failure == null ? null : read(failure, Run.Failure.class),
                    text(metaMap.get(RunEventMapping.META_REQUESTED_BY)),
                    text(metaMap.get(RunEventMapping.META_POLICY_VERSION)),
                    text(metaMap.get(RunEventMapping.META_TRACE_ID)), listed, artifacts);
        }

        private static <T> T read(String json, Class<T> type) {
            return CwomJson.mapper().readValue(json, type);
        }

        private static @Nullable String text(@Nullable Object value) {
            return value == null ? null : value.toString();
        }
    }
}
