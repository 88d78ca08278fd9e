package dev.cwom.artifacts.sink;

import dev.cwom.events.ArtifactCreated;
import dev.cwom.events.PinnedRef;
import dev.cwom.json.CwomJson;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes decoded events with one JDBC batch per statement: a folded upsert per run, the pinned inputs, the
 * artifacts. Runs in the caller's transaction; rows are touched in id order so that concurrent instances lock them
 * in the same order.
 */
public class SinkWriter {

    private final JdbcTemplate jdbc;

    public SinkWriter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Writes the events; must be called inside a transaction. */
    public void write(List<? extends SinkEvent> events) {
        Map<String, RunDelta> runs = new TreeMap<>();
        List<ArtifactCreated> artifacts = new ArrayList<>();
        Map<String, String> verifications = new TreeMap<>();
        for (SinkEvent event : events) {
            runs.computeIfAbsent(event.runId(), RunDelta::new).add(event);
            if (event instanceof SinkEvent.ArtifactReceived received) {
                artifacts.add(received.event());
                verifications.putIfAbsent(received.event().getEventId(),
                        CwomJson.mapper().writeValueAsString(received.verification()));
            }
        }
        List<RunDelta> deltas = List.copyOf(runs.values());
        upsert(RunRows.UPSERT, deltas.stream().filter(d -> d.repoId() != null).toList());
        upsert(RunRows.UPSERT_REPO_OF_ISSUE, deltas.stream().filter(d -> d.repoId() == null).toList());
        pin(RunRows.PIN_CONTEXT_PACKET, deltas, true);
        pin(RunRows.PIN_DOCTRINE_REF, deltas, false);
        if (!artifacts.isEmpty()) {
            artifacts.sort(Comparator.comparing(ArtifactCreated::getArtifactId));
            jdbc.batchUpdate(RunRows.INSERT_ARTIFACT, artifacts, artifacts.size(),
                    (ps, a) -> bindArtifact(ps, a, verifications.get(a.getEventId())));
        }
    }

    private void upsert(String sql, List<RunDelta> deltas) {
        if (!deltas.isEmpty()) {
            jdbc.batchUpdate(sql, deltas, deltas.size(), RunRowBinder::bind);
        }
    }

    private void pin(String sql, List<RunDelta> deltas, boolean contextPackets) {
        List<Object[]> rows = new ArrayList<>();
        for (RunDelta delta : deltas) {
            for (PinnedRef ref : contextPackets ? delta.contextPackets() : delta.doctrineRefs()) {
                rows.add(new Object[] {delta.runId(), ref.getId(), ref.getVersion(), ref.getDigest()});
            }
        }
        if (!rows.isEmpty()) {
            jdbc.batchUpdate(sql, rows, new int[] {Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR});
        }
    }

    private static void bindArtifact(PreparedStatement ps, ArtifactCreated a, @Nullable String verification)
            throws SQLException {
        ps.setString(1, a.getArtifactId());
        ps.setString(2, a.getRunId());
        ps.setString(3, a.getIssueId());
        ps.setString(4, a.getType().name());
        ps.setString(5, a.getTitle());
        ps.setString(6, a.getUri());
        ps.setString(7, a.getDigest());
        ps.setString(8, a.getMediaType());
        if (a.getSizeBytes() == null) {
            ps.setNull(9, Types.BIGINT);
        } else {
            ps.setLong(9, a.getSizeBytes());
        }
        ps.setString(10, a.getPreview());
        ps.setString(11, verification);
        ps.setString(12, a.getEventId());
        ps.setObject(13, timestamp(a.getOccurredAt()));
    }

    static @Nullable OffsetDateTime timestamp(@Nullable Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /** Binds a {@link RunDelta} to {@link RunRows#UPSERT}. */
    private static final class RunRowBinder {

        private RunRowBinder() {
        }

        static void bind(PreparedStatement ps, RunDelta d) throws SQLException {
            PinnedRef snapshot = d.constraintSnapshot();
            int i = 1;
            ps.setString(i++, d.runId());
            ps.setString(i++, d.issueId());
            ps.setString(i++, d.repoId());
            ps.setString(i++, d.status());
            ps.setString(i++, d.mode());
            ps.setString(i++, d.executorJson());
            ps.setString(i++, d.inputsJson());
            ps.setString(i++, d.planJson());
            ps.setString(i++, d.telemetryJson());
            ps.setString(i++, d.costJson());
            ps.setString(i++, d.outputsJson());
            ps.setString(i++, d.failureJson());
            ps.setString(i++, snapshot == null ? null : snapshot.getId());
            ps.setString(i++, snapshot == null ? null : snapshot.getVersion());
            ps.setString(i++, snapshot == null ? null : snapshot.getDigest());
            ps.setString(i++, d.workerId());
            ps.setString(i++, d.workOrderEventId());
            ps.setObject(i++, timestamp(d.heartbeatAt()));
            ps.setString(i++, d.lastEventId());
            ps.setObject(i++, timestamp(d.lastEventAt()));
            ps.setString(i++, d.startedEventId());
            ps.setObject(i++, timestamp(d.startedEventAt()));
            ps.setString(i++, d.terminalEventId());
            ps.setObject(i++, timestamp(d.terminalEventAt()));
            ps.setObject(i, timestamp(d.firstEventAt()));
        }
    }
}
