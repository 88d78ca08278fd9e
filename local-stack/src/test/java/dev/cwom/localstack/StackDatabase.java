package dev.cwom.localstack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** What the end-to-end tests read back from the stack's PostgreSQL, as an auditor would: issues, runs, artifacts. */
final class StackDatabase implements AutoCloseable {

    private final Connection db;

    private StackDatabase(Connection db) {
        this.db = db;
    }

    static StackDatabase of(LocalStack stack) throws SQLException {
        return new StackDatabase(DriverManager.getConnection(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword()));
    }

    Connection connection() {
        return db;
    }

    /** Issue status -> count, with "(not stored yet)" for the ids not in cwom_issues. */
    Map<String, Integer> statusCounts(Collection<String> issueIds) throws SQLException {
        Map<String, Integer> counts = new TreeMap<>();
        try (PreparedStatement query = db.prepareStatement(
                "SELECT status, count(*) FROM cwom_issues WHERE id = ANY(?) GROUP BY status")) {
            query.setArray(1, db.createArrayOf("varchar", issueIds.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getInt(2));
                }
            }
        }
        int stored = counts.values().stream().mapToInt(Integer::intValue).sum();
        if (stored < issueIds.size()) {
            counts.put("(not stored yet)", issueIds.size() - stored);
        }
        return counts;
    }

    /** Every run of these issues, as the sink stored it. */
    List<RunRow> runs(Collection<String> issueIds) throws SQLException {
        List<RunRow> runs = new ArrayList<>();
        try (PreparedStatement query = db.prepareStatement("SELECT id, issue_id, status, telemetry->>'ended_at', "
                + "constraint_snapshot_id, constraint_snapshot_digest, work_order_event_id FROM cwom_runs "
                + "WHERE issue_id = ANY(?)")) {
            query.setArray(1, db.createArrayOf("varchar", issueIds.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    runs.add(new RunRow(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                            rows.getString(5), rows.getString(6), rows.getString(7)));
                }
            }
        }
        return runs;
    }

    /** Every artifact of these issues. */
    List<ArtifactRow> artifacts(Collection<String> issueIds) throws SQLException {
        List<ArtifactRow> artifacts = new ArrayList<>();
        try (PreparedStatement query = db.prepareStatement(
                "SELECT id, run_id, type, uri, digest FROM cwom_artifacts WHERE issue_id = ANY(?)")) {
            query.setArray(1, db.createArrayOf("varchar", issueIds.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    artifacts.add(new ArtifactRow(rows.getString(1), rows.getString(2), rows.getString(3),
                            rows.getString(4), rows.getString(5)));
                }
            }
        }
        return artifacts;
    }

    /** The trace artifact of each run of these issues, by run id. */
    Map<String, ArtifactRow> traces(Collection<String> issueIds) throws SQLException {
        Map<String, ArtifactRow> traces = new HashMap<>();
        for (ArtifactRow artifact : artifacts(issueIds)) {
            if ("trace".equals(artifact.type())) {
                traces.put(artifact.runId(), artifact);
            }
        }
        return traces;
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }

    record RunRow(String id, String issueId, String status, @Nullable String endedAt,
            @Nullable String constraintSnapshotId, @Nullable String constraintSnapshotDigest,
            @Nullable String workOrderEventId) {
    }

    record ArtifactRow(String id, String runId, String type, String uri, @Nullable String digest) {
    }
}
