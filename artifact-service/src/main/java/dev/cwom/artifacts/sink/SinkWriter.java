package dev.cwom.artifacts.sink;

import dev.cwom.events.ArtifactCreated;
import dev.cwom.events.PinnedRef;
import dev.cwom.events.RunEventMapping;
import dev.cwom.json.CwomJson;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes decoded events: all runs of a batch in one upsert statement and all its artifacts in one insert (column
 * arrays, so the statement count does not grow with the batch), the pinned inputs as one JDBC batch. Runs in the
 * caller's transaction; rows are touched in id order so that concurrent instances lock them in the same order.
 */
public class SinkWriter {

    /** The key of {@code meta} under which the sink says why it did not verify an artifact's body. */
    static final String VERIFICATION_NOTE = "verification_note";

    private final JdbcTemplate jdbc;

    public SinkWriter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Writes the events; must be called inside a transaction. */
    public void write(List<? extends SinkEvent> events) {
        Map<String, RunDelta> runs = new TreeMap<>();
        Map<String, SinkEvent.ArtifactReceived> artifacts = new TreeMap<>();
        for (SinkEvent event : events) {
            runs.computeIfAbsent(event.runId(), RunDelta::new).add(event);
            if (event instanceof SinkEvent.ArtifactReceived received) {
                artifacts.putIfAbsent(received.event().getArtifactId(), received);
            }
        }
        List<RunDelta> deltas = List.copyOf(runs.values());
        upsertRuns(deltas);
        queueProvenance(deltas);
        pin(RunRows.PIN_CONTEXT_PACKET, deltas, true);
        pin(RunRows.PIN_DOCTRINE_REF, deltas, false);
        insertArtifacts(List.copyOf(artifacts.values()));
        notifyStored(deltas, artifacts.keySet());
    }

    /** Tells ingest's {@code ?wait} what this transaction stored (see {@link RunRows#NOTIFY_STORED}). */
    private void notifyStored(List<RunDelta> runs, java.util.Set<String> artifactIds) {
        List<String> keys = new ArrayList<>(runs.size() + artifactIds.size());
        runs.forEach(run -> keys.add("run:" + run.runId()));
        artifactIds.forEach(id -> keys.add("artifact:" + id));
        if (!keys.isEmpty()) {
            jdbc.query(RunRows.NOTIFY_STORED, ps -> ps.setArray(1, ps.getConnection().createArrayOf("text",
                    keys.toArray())), rs -> null);
        }
    }

    /** Runs that started or finished in this batch are due for their OpenLineage events and attestation. */
    private void queueProvenance(List<RunDelta> deltas) {
        String[] due = deltas.stream().filter(d -> d.startedEventId() != null || d.terminalEventId() != null)
                .map(RunDelta::runId).toArray(String[]::new);
        if (due.length > 0) {
            jdbc.update(RunRows.QUEUE_PROVENANCE, ps -> ps.setArray(1, ps.getConnection().createArrayOf("text", due)));
        }
    }

    private void upsertRuns(List<RunDelta> deltas) {
        if (deltas.isEmpty()) {
            return;
        }
        String[][] columns = new String[RunRows.UPSERT_COLUMNS][deltas.size()];
        for (int row = 0; row < deltas.size(); row++) {
            String[] values = runValues(deltas.get(row));
            for (int column = 0; column < values.length; column++) {
                columns[column][row] = values[column];
            }
        }
        jdbc.update(RunRows.UPSERT, ps -> bindArrays(ps, columns));
    }

    private void insertArtifacts(List<SinkEvent.ArtifactReceived> artifacts) {
        if (artifacts.isEmpty()) {
            return;
        }
        String[][] columns = new String[RunRows.ARTIFACT_COLUMNS][artifacts.size()];
        for (int row = 0; row < artifacts.size(); row++) {
            String[] values = artifactValues(artifacts.get(row));
            for (int column = 0; column < values.length; column++) {
                columns[column][row] = values[column];
            }
        }
        jdbc.update(RunRows.INSERT_ARTIFACTS, ps -> bindArrays(ps, columns));
    }

    private static void bindArrays(PreparedStatement ps, String[][] columns) throws SQLException {
        for (int column = 0; column < columns.length; column++) {
            ps.setArray(column + 1, ps.getConnection().createArrayOf("text", columns[column]));
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

    /** One run's values in the column order of {@link RunRows#UPSERT}. */
    private static String[] runValues(RunDelta d) {
        PinnedRef snapshot = d.constraintSnapshot();
        return new String[] {
            d.runId(), d.issueId(), d.repoId(), d.status(), d.mode(), d.executorJson(), d.inputsJson(), d.planJson(),
            d.telemetryJson(), d.costJson(), d.outputsJson(), d.failureJson(), d.tagsJson(), d.metaJson(),
            snapshot == null ? null : snapshot.getId(),
            snapshot == null ? null : snapshot.getVersion(),
            snapshot == null ? null : snapshot.getDigest(),
            d.workerId(), d.workOrderEventId(), text(d.heartbeatAt()), d.lastEventId(), text(d.lastEventAt()),
            d.startedEventId(), text(d.startedEventAt()), d.terminalEventId(), text(d.terminalEventAt()),
            text(d.firstEventAt())};
    }

    /** One artifact's values in the column order of {@link RunRows#INSERT_ARTIFACTS}. */
    private static String[] artifactValues(SinkEvent.ArtifactReceived received) {
        ArtifactCreated a = received.event();
        return new String[] {
            a.getArtifactId(), a.getRunId(), a.getIssueId(), a.getType().name(), a.getTitle(), a.getUri(),
            a.getDigest(), a.getMediaType(), a.getSizeBytes() == null ? null : a.getSizeBytes().toString(),
            a.getPreview(), CwomJson.mapper().writeValueAsString(received.verification()), a.getEventId(),
            text(a.getOccurredAt()), CwomJson.mapper().writeValueAsString(a.getTags()),
            CwomJson.mapper().writeValueAsString(meta(received))};
    }

    /**
     * The producer's meta with the sink's note on an unverified body merged in. The note replaces a producer's key
     * of the same name only: it is the sink's statement about this row's verification, which the producer cannot make.
     */
    private static Map<String, Object> meta(SinkEvent.ArtifactReceived received) {
        Map<String, Object> meta = new LinkedHashMap<>(RunEventMapping.meta(received.event().getMetaJson()));
        if (received.verificationNote() != null) {
            meta.put(VERIFICATION_NOTE, received.verificationNote());
        }
        return meta;
    }

    private static @Nullable String text(@Nullable Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
