package dev.cwom.artifacts.sink;

import static dev.cwom.artifacts.sink.SinkFixtures.finished;
import static dev.cwom.artifacts.sink.SinkFixtures.started;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.artifacts.ArtifactServiceTest;
import dev.cwom.events.ArtifactCreated;
import dev.cwom.events.RecordRejected;
import dev.cwom.events.RunEvent;
import dev.cwom.events.RunStarted;
import dev.cwom.events.RunOutcome;
import dev.cwom.events.Topics;
import dev.cwom.model.Ids;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

class SinkRejectionTests extends ArtifactServiceTest {

    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    @Autowired
    JdbcTemplate jdbc;

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
    void anUndecodableRecordIsRejectedWithItsBytesHeadersAndPositionAndTheNextOneIsStored() {
        SinkFixtures.Issue issue = fixtures.issue();
        String key = "poison-" + Ids.newUlid();
        byte[] value = "{\"not\": \"avro\"}".getBytes(StandardCharsets.UTF_8);
        String traceparent = "00-abf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        long offset = fixtures.sendRaw(Topics.RUNS, key.getBytes(StandardCharsets.UTF_8), value,
                new RecordHeader("trace_id", "abc".getBytes(StandardCharsets.UTF_8)),
                new RecordHeader("traceparent", traceparent.getBytes(StandardCharsets.UTF_8)));
        String after = Ids.newUlid();
        fixtures.send(started(issue, after, SinkFixtures.now()));

        fixtures.awaitSinkCaughtUp(CATCH_UP);
        ConsumerRecord<String, RecordRejected> record = SinkFixtures.rejectionRecordsOf(key, 1).getFirst();

        RecordRejected rejection = record.value();
        // the rejection stays in the rejected record's trace, and says what it is to generic tools
        assertThat(SinkFixtures.header(record.headers(), "traceparent")).isEqualTo(traceparent);
        assertThat(SinkFixtures.header(record.headers(), "ce_type")).isEqualTo("dev.cwom.record.rejected.v1");
        assertThat(SinkFixtures.header(record.headers(), "ce_id")).isEqualTo(rejection.getEventId());
        assertThat(SinkFixtures.header(record.headers(), "ce_subject")).isEqualTo(Topics.RUNS);
        assertThat(rejection.getReasonCode()).isEqualTo("WRONG_MAGIC_BYTE");
        assertThat(rejection.getSourceTopic()).isEqualTo(Topics.RUNS);
        assertThat(rejection.getSourceOffset()).isEqualTo(offset);
        assertThat(bytes(rejection.getOriginalValue())).isEqualTo(value);
        assertThat(bytes(rejection.getOriginalKey())).isEqualTo(key.getBytes(StandardCharsets.UTF_8));
        assertThat(rejection.getHeaders()).anySatisfy(h -> {
            assertThat(h.getKey()).isEqualTo("trace_id");
            assertThat(bytes(h.getValue())).isEqualTo("abc".getBytes(StandardCharsets.UTF_8));
        });
        assertThat(rejection.getMessage()).isNotBlank();
        assertThat(jdbc.queryForObject("SELECT status FROM cwom_runs WHERE id = ?", String.class, after))
                .isEqualTo("running");
    }

    @Test
    void anArtifactOfAnUnknownRunWhoseEventNamesNoRepoIsRejectedAfterBoundedRetries() {
        // A producer older than ArtifactCreated.repo_id: the sink cannot record the run (it reads no issue table to
        // find the repo), so the artifact's foreign key to its run fails until the run's own events arrive.
        SinkFixtures.Issue issue = fixtures.issue();
        String run = Ids.newUlid();
        ArtifactCreated withoutRepo = SinkFixtures.artifact(issue, run, Ids.newUlid(), SinkFixtures.now(),
                "https://example.org/log", null);
        withoutRepo.setRepoId(null);

        fixtures.send(withoutRepo);
        fixtures.awaitSinkCaughtUp(CATCH_UP);

        RecordRejected rejection = SinkFixtures.rejectionsOf(run, 1).getFirst();
        assertThat(rejection.getReasonCode()).isEqualTo("UNKNOWN_REFERENCE");
        assertThat(rejection.getMessage()).contains(withoutRepo.getArtifactId(), "does not exist");
        assertThat(rejection.getDetails()).containsEntry("sql_state", "23503");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cwom_runs WHERE id = ?", Long.class, run)).isZero();
    }

    @Test
    void anEventIsStoredWithTheIdsItCarriesWithoutReadingIngestsTables() {
        // The sink's database has no issue or repo tables (each service owns its data): the ids are ingest's word.
        SinkFixtures.Issue elsewhere = new SinkFixtures.Issue(Ids.newUlid(), Ids.newUlid());
        String run = Ids.newUlid();
        Instant t0 = SinkFixtures.now();

        fixtures.send(finished(elsewhere, run, t0, t0.plusSeconds(1), RunOutcome.done, List.of()));
        fixtures.awaitSinkCaughtUp(CATCH_UP);

        assertThat(jdbc.queryForMap("SELECT issue_id, repo_id, status FROM cwom_runs WHERE id = ?", run))
                .containsEntry("issue_id", elsewhere.issueId()).containsEntry("repo_id", elsewhere.repoId())
                .containsEntry("status", "done");
        assertThat(jdbc.queryForObject("SELECT to_regclass('cwom_issues') IS NULL", Boolean.class)).isTrue();
    }

    @Test
    void anEventBreakingTheRulesIsRejectedAtOnceAndItsBatchNeighboursAreStored() {
        SinkFixtures.Issue issue = fixtures.issue();
        Instant t0 = SinkFixtures.now();
        String before = Ids.newUlid();
        String after = Ids.newUlid();
        RunEvent failedWithoutReason = finished(issue, Ids.newUlid(), t0, t0.plusSeconds(1), RunOutcome.failed,
                List.of());
        ((dev.cwom.events.RunFinished) failedWithoutReason.getPayload()).setFailure(null);

        fixtures.send(started(issue, before, t0), failedWithoutReason, started(issue, after, t0));
        fixtures.awaitSinkCaughtUp(CATCH_UP);

        RecordRejected rejection = SinkFixtures.rejectionsOf(failedWithoutReason.getRunId(), 1).getFirst();
        assertThat(rejection.getReasonCode()).isEqualTo("VALIDATION_FAILED");
        assertThat(rejection.getMessage()).contains("status failed but no failure");
        assertThat(jdbc.queryForList("SELECT id FROM cwom_runs WHERE id IN (?, ?, ?)", String.class, before, after,
                failedWithoutReason.getRunId())).containsExactlyInAnyOrder(before, after);
    }

    @Test
    void metaThatIsNotAJsonObjectIsRejectedAtOnceAndNothingOfItsEventIsStored() {
        SinkFixtures.Issue issue = fixtures.issue();
        Instant t0 = SinkFixtures.now();
        String stored = Ids.newUlid();
        RunEvent arrayMeta = started(issue, Ids.newUlid(), t0);
        ((RunStarted) arrayMeta.getPayload()).setMetaJson("[\"not\", \"an object\"]");
        String artifact = Ids.newUlid();
        ArtifactCreated brokenMeta = SinkFixtures.artifact(issue, stored, artifact, t0.plusSeconds(1),
                "https://example.org/a", null);
        brokenMeta.setMetaJson("{\"unclosed\": ");

        fixtures.send(started(issue, stored, t0), arrayMeta, brokenMeta);
        fixtures.awaitSinkCaughtUp(CATCH_UP);

        RecordRejected runRejection = SinkFixtures.rejectionsOf(arrayMeta.getRunId(), 1).getFirst();
        assertThat(runRejection.getReasonCode()).isEqualTo("VALIDATION_FAILED");
        assertThat(runRejection.getMessage()).contains("RunStarted", "meta_json");
        RecordRejected artifactRejection = SinkFixtures.rejectionsOf(stored, 1).getFirst();
        assertThat(artifactRejection.getReasonCode()).isEqualTo("VALIDATION_FAILED");
        assertThat(artifactRejection.getMessage()).contains("ArtifactCreated", artifact, "meta_json");
        assertThat(jdbc.queryForList("SELECT id FROM cwom_runs WHERE id IN (?, ?)", String.class, stored,
                arrayMeta.getRunId())).containsExactly(stored);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cwom_artifacts WHERE id = ?", Long.class, artifact))
                .isZero();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
