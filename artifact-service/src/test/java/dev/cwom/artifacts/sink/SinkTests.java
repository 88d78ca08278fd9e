package dev.cwom.artifacts.sink;

import static dev.cwom.artifacts.sink.SinkFixtures.artifact;
import static dev.cwom.artifacts.sink.SinkFixtures.finished;
import static dev.cwom.artifacts.sink.SinkFixtures.heartbeat;
import static dev.cwom.artifacts.sink.SinkFixtures.started;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.artifacts.ArtifactServiceTest;
import dev.cwom.artifacts.blobs.BlobStore;
import dev.cwom.events.PinnedRef;
import dev.cwom.events.RunEvent;
import dev.cwom.events.RunStarted;
import dev.cwom.events.RunOutcome;
import dev.cwom.model.Ids;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

class SinkTests extends ArtifactServiceTest {

    private static final Duration CATCH_UP = Duration.ofSeconds(60);
    private static final String ROW = """
            SELECT status, mode, executor::text, inputs::text, plan::text, telemetry::text, cost::text, outputs::text,
                   failure::text, tags::text, meta::text, worker_id, last_heartbeat_at, updated_at,
                   (SELECT count(*) FROM cwom_artifacts a WHERE a.run_id = r.id) AS artifacts
            FROM cwom_runs r WHERE id = ?""";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    BlobStore blobs;

    @LocalServerPort
    int port;

    SinkFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new SinkFixtures(jdbc);
    }

    @AfterEach
    void close() {
        fixtures.close();
    }

    @Test
    void storesARunWithItsPinnedInputsArtifactsAndTheirVerification() throws Exception {
        SinkFixtures.Issue issue = fixtures.issue();
        String packet = fixtures.contextPacket(issue);
        String doctrine = fixtures.doctrineRef();
        String run = Ids.newUlid();
        Instant t0 = SinkFixtures.now();
        byte[] body = "hello from the sink test".getBytes(StandardCharsets.UTF_8);
        String digest = blobs.put(new ByteArrayInputStream(body), body.length, "text/plain", null)
                .blob().digest().toString();
        String blobUri = "http://127.0.0.1:" + port + "/blobs/" + digest;
        String missing = "sha256:" + "0".repeat(64);
        String verified = Ids.newUlid();
        String blobMissing = Ids.newUlid();
        String mismatch = Ids.newUlid();
        String external = Ids.newUlid();
        byte[] largeBody = "z".repeat(ArtifactServiceTest.VERIFY_MAX_BYTES + 1).getBytes(StandardCharsets.UTF_8);
        String largeDigest = blobs.put(new ByteArrayInputStream(largeBody), largeBody.length, "text/plain", null)
                .blob().digest().toString();
        String largeUri = "http://127.0.0.1:" + port + "/blobs/" + largeDigest;
        String large = Ids.newUlid();

        fixtures.send(
                started(issue, run, t0, List.of(new PinnedRef("ContextPacket", packet, "1.0", missing)),
                        List.of(new PinnedRef("DoctrineRef", doctrine, "1", missing))),
                heartbeat(issue, run, t0.plusSeconds(1)),
                artifact(issue, run, verified, t0.plusSeconds(2), blobUri, digest),
                artifact(issue, run, blobMissing, t0.plusSeconds(2), "http://elsewhere:1/blobs/" + missing, missing),
                artifact(issue, run, mismatch, t0.plusSeconds(2), blobUri, missing),
                artifact(issue, run, external, t0.plusSeconds(2), "https://example.org/pulls/7", digest),
                artifact(issue, run, large, t0.plusSeconds(2), largeUri, largeDigest),
                finished(issue, run, t0, t0.plusSeconds(3), RunOutcome.done,
                        List.of(verified, blobMissing, mismatch, external, large)));
        fixtures.awaitSinkCaughtUp(CATCH_UP);

        Map<String, Object> row = jdbc.queryForMap(ROW, run);
        assertThat(row.get("status")).isEqualTo("done");
        assertThat(row.get("mode")).isEqualTo("agent");
        assertThat(row.get("worker_id")).isEqualTo("worker-1");
        assertThat((String) row.get("executor")).contains("\"actor_id\": \"worker-1\"", "\"runtime\": \"java\"");
        assertThat((String) row.get("inputs")).contains(packet, doctrine, "\"version\": \"1.0\"");
        assertThat((String) row.get("plan")).contains("checkout", "build")
                .contains("\"risk_notes\": [\"the build cache may be cold\"]");
        assertThat(row.get("tags")).isEqualTo("[\"nightly\", \"sink-test\"]");
        assertThat(row.get("meta")).isEqualTo("{\"ticket\": \"CWOM-7\", \"attempt\": 2}");
        assertThat((String) row.get("telemetry")).contains("\"started_at\": \"" + t0 + "\"",
                "\"ended_at\": \"" + t0.plusSeconds(3) + "\"", "\"duration_s\": 3.0");
        assertThat((String) row.get("cost")).contains("\"usd\": 0.25", "\"tokens\": 1200");
        assertThat((String) row.get("outputs")).contains("\"result_summary\": \"built\"");
        assertThat(artifactIds(run)).containsExactlyElementsOf(
                new java.util.TreeSet<>(List.of(verified, blobMissing, mismatch, external, large)));
        assertThat(row.get("failure")).isNull();
        assertThat(row.get("artifacts")).isEqualTo(5L);
        assertThat(jdbc.queryForList("SELECT context_packet_id || ' ' || version || ' ' || digest"
                + " FROM cwom_run_context_packets WHERE run_id = ?", String.class, run))
                .containsExactly(packet + " 1.0 " + missing);
        assertThat(jdbc.queryForList("SELECT doctrine_ref_id FROM cwom_run_doctrine_refs WHERE run_id = ?",
                String.class, run)).containsExactly(doctrine);

        assertThat(verification(verified)).contains("\"status\": \"passed\"", "\"name\": \"sha256\"",
                "\"evidence_uri\": \"" + blobUri + "\"");
        assertThat(verification(blobMissing)).contains("\"status\": \"failed\"");
        assertThat(verification(mismatch)).contains("\"status\": \"failed\"");
        assertThat(verification(external)).isEqualTo("{\"checks\": [], \"status\": \"unverified\"}");
        assertThat(meta(external)).as("the producer's meta").isEqualTo("{\"source\": \"sink-test\"}");
        assertThat(jdbc.queryForObject("SELECT tags::text FROM cwom_artifacts WHERE id = ?", String.class, external))
                .isEqualTo("[\"log\"]");
        // Above cwom.artifact.sink.verify-max-size: stored, not hashed, and the row says why.
        assertThat(verification(large)).contains("\"status\": \"unverified\"", "\"name\": \"sha256\"",
                "\"evidence_uri\": \"" + largeUri + "\"").doesNotContain("passed", "failed");
        assertThat(meta(large)).as("the sink's note merged into the producer's meta")
                .contains("\"source\": \"sink-test\"", "verification_note", largeDigest, "verify-max-size");
    }

    @Test
    void redeliveredEventsChangeNothing() {
        SinkFixtures.Issue issue = fixtures.issue();
        String run = Ids.newUlid();
        String artifact = Ids.newUlid();
        Instant t0 = SinkFixtures.now();
        SpecificRecord[] events = {
            started(issue, run, t0),
            heartbeat(issue, run, t0.plusSeconds(1)),
            artifact(issue, run, artifact, t0.plusSeconds(2), "https://example.org/a", null),
            finished(issue, run, t0, t0.plusSeconds(3), RunOutcome.done, List.of(artifact))};
        fixtures.send(events);
        fixtures.awaitSinkCaughtUp(CATCH_UP);
        Map<String, Object> before = jdbc.queryForMap(ROW, run);
        List<Map<String, Object>> artifactsBefore = jdbc.queryForList(
                "SELECT * FROM cwom_artifacts WHERE run_id = ?", run);

        fixtures.send(events);
        fixtures.send(events[3], events[0]);
        fixtures.awaitSinkCaughtUp(CATCH_UP);

        assertThat(jdbc.queryForMap(ROW, run)).isEqualTo(before);
        assertThat(jdbc.queryForList("SELECT * FROM cwom_artifacts WHERE run_id = ?", run))
                .isEqualTo(artifactsBefore);
        assertThat(artifactIds(run)).containsExactly(artifact);
    }

    @Test
    void tagsMetaAndRiskNotesComeFromTheEarliestRunStartedAndARedeliveryChangesNothing() {
        SinkFixtures.Issue issue = fixtures.issue();
        String run = Ids.newUlid();
        Instant t0 = SinkFixtures.now();
        RunEvent earliest = started(issue, run, t0);
        RunEvent later = started(issue, run, t0.plusSeconds(5));
        RunStarted laterPayload = (RunStarted) later.getPayload();
        laterPayload.setTags(List.of("later"));
        laterPayload.setMetaJson("{\"by\":\"later\"}");
        laterPayload.setPlanRiskNotes(List.of("later risk"));

        fixtures.send(later);
        fixtures.awaitSinkCaughtUp(CATCH_UP);
        Map<String, Object> first = jdbc.queryForMap(ROW, run);
        assertThat(first.get("tags")).isEqualTo("[\"later\"]");
        assertThat(first.get("meta")).isEqualTo("{\"by\": \"later\"}");
        assertThat((String) first.get("plan")).contains("later risk");

        fixtures.send(earliest);
        fixtures.awaitSinkCaughtUp(CATCH_UP);
        Map<String, Object> row = jdbc.queryForMap(ROW, run);
        assertThat(row.get("tags")).isEqualTo("[\"nightly\", \"sink-test\"]");
        assertThat(row.get("meta")).isEqualTo("{\"ticket\": \"CWOM-7\", \"attempt\": 2}");
        assertThat((String) row.get("plan")).contains("the build cache may be cold").doesNotContain("later risk");

        fixtures.send(later, earliest);
        fixtures.awaitSinkCaughtUp(CATCH_UP);
        assertThat(jdbc.queryForMap(ROW, run)).as("redelivered starts, updated_at included").isEqualTo(row);
    }

    @Test
    void everyPairOfEventsEndsInTheSameRowWhicheverArrivesFirst() {
        SinkFixtures.Issue issue = fixtures.issue();
        Instant t0 = SinkFixtures.now();
        List<String> kinds = List.of("started", "heartbeat", "finished", "artifact");
        Map<String, List<Case>> byPair = new LinkedHashMap<>();
        for (int a = 0; a < kinds.size(); a++) {
            for (int b = a + 1; b < kinds.size(); b++) {
                String pair = kinds.get(a) + "+" + kinds.get(b);
                byPair.put(pair, List.of(
                        new Case(issue, kinds.get(a), kinds.get(b), t0),
                        new Case(issue, kinds.get(b), kinds.get(a), t0)));
            }
        }
        List<Case> cases = byPair.values().stream().flatMap(List::stream).toList();

        // Each first event is committed before any second one is sent, so the second always meets a stored row.
        fixtures.send(cases.stream().map(Case::first).toArray(SpecificRecord[]::new));
        fixtures.awaitSinkCaughtUp(CATCH_UP);
        fixtures.send(cases.stream().map(Case::second).toArray(SpecificRecord[]::new));
        fixtures.awaitSinkCaughtUp(CATCH_UP);

        byPair.forEach((pair, both) -> {
            Map<String, Object> forward = normalized(both.get(0));
            Map<String, Object> backward = normalized(both.get(1));
            assertThat(backward).as(pair).isEqualTo(forward);
            String expectedStatus = pair.contains("finished") ? "done"
                    : pair.contains("started") || pair.contains("heartbeat") ? "running" : "planned";
            assertThat(forward.get("status")).as(pair).isEqualTo(expectedStatus);
            if (pair.contains("artifact") || pair.contains("finished")) {
                assertThat(artifactIds(both.get(0).run)).as(pair).containsExactly(both.get(0).artifact);
                assertThat(artifactIds(both.get(1).run)).as(pair).containsExactly(both.get(1).artifact);
            }
            if (pair.contains("started")) {
                assertThat(forward.get("mode")).as(pair).isEqualTo("agent");
            }
        });
    }

    @Test
    void theEarliestFinishWinsAndALateHeartbeatNeverReopensTheRun() {
        SinkFixtures.Issue issue = fixtures.issue();
        Instant t0 = SinkFixtures.now();
        String inOrder = Ids.newUlid();
        String reversed = Ids.newUlid();
        List<SpecificRecord> forward = lifecycleWithTwoFinishes(issue, inOrder, t0);
        List<SpecificRecord> backward = new ArrayList<>(lifecycleWithTwoFinishes(issue, reversed, t0));
        java.util.Collections.reverse(backward);

        for (SpecificRecord event : forward) {
            fixtures.send(event);
            fixtures.awaitSinkCaughtUp(CATCH_UP);
        }
        fixtures.send(backward.toArray(SpecificRecord[]::new));
        fixtures.awaitSinkCaughtUp(CATCH_UP);

        Map<String, Object> row = jdbc.queryForMap(ROW, inOrder);
        assertThat(row.get("status")).isEqualTo("done");
        assertThat(row.get("failure")).isNull();
        assertThat((String) row.get("telemetry")).contains("\"ended_at\": \"" + t0.plusSeconds(2) + "\"");
        assertThat(((java.sql.Timestamp) row.get("last_heartbeat_at")).toInstant()).isEqualTo(t0.plusSeconds(9));
        Map<String, Object> other = jdbc.queryForMap(ROW, reversed);
        row.remove("updated_at");
        other.remove("updated_at");
        assertThat(other).isEqualTo(row);
    }

    private static List<SpecificRecord> lifecycleWithTwoFinishes(SinkFixtures.Issue issue, String run, Instant t0) {
        return List.of(
                started(issue, run, t0),
                finished(issue, run, t0, t0.plusSeconds(2), RunOutcome.done, List.of()),
                finished(issue, run, t0, t0.plusSeconds(5), RunOutcome.failed, List.of()),
                heartbeat(issue, run, t0.plusSeconds(9)));
    }

    private Map<String, Object> normalized(Case c) {
        Map<String, Object> row = jdbc.queryForMap(ROW, c.run);
        row.remove("updated_at");
        row.replaceAll((k, v) -> v instanceof String s ? s.replace(c.artifact, "<artifact>") : v);
        return row;
    }

    private List<String> artifactIds(String run) {
        return jdbc.queryForList("SELECT a->>'id' FROM cwom_runs, jsonb_array_elements(outputs->'artifacts') a"
                + " WHERE id = ?", String.class, run);
    }

    private String meta(String artifact) {
        return jdbc.queryForObject("SELECT meta::text FROM cwom_artifacts WHERE id = ?", String.class, artifact);
    }

    private String verification(String artifact) {
        return jdbc.queryForObject("SELECT verification::text FROM cwom_artifacts WHERE id = ?", String.class,
                artifact);
    }

    /** One run that receives two of its events in a given order. */
    private static final class Case {

        final String run = Ids.newUlid();
        final String artifact = Ids.newUlid();
        final SpecificRecord first;
        final SpecificRecord second;

        Case(SinkFixtures.Issue issue, String first, String second, Instant t0) {
            this.first = event(issue, first, t0);
            this.second = event(issue, second, t0);
        }

        SpecificRecord first() {
            return first;
        }

        SpecificRecord second() {
            return second;
        }

        private SpecificRecord event(SinkFixtures.Issue issue, String kind, Instant t0) {
            return switch (kind) {
                case "started" -> started(issue, run, t0);
                case "heartbeat" -> heartbeat(issue, run, t0.plusSeconds(1));
                case "finished" -> finished(issue, run, t0, t0.plusSeconds(3), RunOutcome.done, List.of(artifact));
                case "artifact" -> artifact(issue, run, artifact, t0.plusSeconds(2), "https://example.org/a", null);
                default -> throw new IllegalArgumentException(kind);
            };
        }
    }
}
