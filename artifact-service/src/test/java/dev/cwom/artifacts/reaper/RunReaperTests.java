package dev.cwom.artifacts.reaper;

import static dev.cwom.artifacts.sink.SinkFixtures.finished;
import static dev.cwom.artifacts.sink.SinkFixtures.heartbeat;
import static dev.cwom.artifacts.sink.SinkFixtures.started;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.artifacts.ArtifactServiceTest;
import dev.cwom.artifacts.sink.SinkFixtures;
import dev.cwom.events.FailureCategory;
import dev.cwom.events.RunEvent;
import dev.cwom.events.RunFinished;
import dev.cwom.events.RunOutcome;
import dev.cwom.events.Topics;
import dev.cwom.model.Ids;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.listener.MessageListenerContainer;

class RunReaperTests extends ArtifactServiceTest {

    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RunReaper reaper;

    @Autowired
    MessageListenerContainer sinkContainer;

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
    void aRunWithoutHeartbeatsFailsOnceAndItsRunFinishedIsPublishedEvenWithTwoReapers() {
        SinkFixtures.Issue issue = fixtures.issue();
        Instant now = SinkFixtures.now();
        Instant longAgo = now.minus(Duration.ofHours(1));
        String stale = Ids.newUlid();
        String alive = Ids.newUlid();
        String finishedLongAgo = Ids.newUlid();
        fixtures.send(
                started(issue, stale, longAgo),
                heartbeat(issue, stale, longAgo.plusSeconds(30)),
                started(issue, alive, longAgo),
                heartbeat(issue, alive, now),
                started(issue, finishedLongAgo, longAgo),
                finished(issue, finishedLongAgo, longAgo, longAgo.plusSeconds(60), RunOutcome.done, List.of()));
        fixtures.awaitSinkCaughtUp(CATCH_UP);
        // an hour passes without anything received from the stale run (nor from the finished one)
        silentFor(Duration.ofHours(1), stale, finishedLongAgo);

        CompletableFuture<List<String>> one = CompletableFuture.supplyAsync(reaper::reap);
        CompletableFuture<List<String>> two = CompletableFuture.supplyAsync(reaper::reap);
        List<String> reaped = new ArrayList<>(one.join());
        reaped.addAll(two.join());

        assertThat(reaped).containsOnlyOnce(stale).doesNotContain(alive, finishedLongAgo);
        Map<String, Object> row = jdbc.queryForMap("SELECT status, failure->>'category' AS category,"
                + " failure->>'message' AS message, telemetry->>'started_at' AS started_at, updated_at"
                + " FROM cwom_runs WHERE id = ?", stale);
        assertThat(row.get("status")).isEqualTo("failed");
        assertThat(row.get("category")).isEqualTo("runtime");
        assertThat((String) row.get("message")).startsWith("worker lost, nothing received from it since ")
                .endsWith("(the sink's time; its last heartbeat was stamped " + longAgo.plusSeconds(30) + ")");
        assertThat(row.get("started_at")).isEqualTo(longAgo.toString());
        assertThat(status(alive)).isEqualTo("running");
        assertThat(status(finishedLongAgo)).isEqualTo("done");

        List<ConsumerRecord<String, RunEvent>> published = SinkFixtures.readToEnd(Topics.RUNS, RunEvent.class,
                r -> stale.equals(r.key()) && r.value().getPayload() instanceof RunFinished);
        assertThat(published).as("RunFinished events published for the stale run").hasSize(1);
        RunFinished event = (RunFinished) published.getFirst().value().getPayload();
        assertThat(event.getStatus()).isEqualTo(RunOutcome.failed);
        assertThat(event.getFailure().getCategory()).isEqualTo(FailureCategory.runtime);
        assertThat(event.getFailure().getMessage()).isEqualTo(row.get("message"));
        // the reaper's verdict is a traced CloudEvent like every other run event
        org.apache.kafka.common.header.Headers headers = published.getFirst().headers();
        assertThat(SinkFixtures.header(headers, "traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
        assertThat(SinkFixtures.header(headers, "ce_type")).isEqualTo("dev.cwom.run.finished.v1");
        assertThat(SinkFixtures.header(headers, "ce_source")).isEqualTo("/cwom/artifact-service");
        assertThat(SinkFixtures.header(headers, "ce_subject")).isEqualTo(stale);
        assertThat(SinkFixtures.header(headers, "ce_id")).isEqualTo(published.getFirst().value().getEventId());

        // The sink reads the reaper's own event back: the row it already wrote stays as it is.
        fixtures.awaitSinkCaughtUp(CATCH_UP);
        assertThat(jdbc.queryForObject("SELECT updated_at FROM cwom_runs WHERE id = ?", Object.class, stale))
                .isEqualTo(row.get("updated_at"));
        assertThat(reaper.reap()).doesNotContain(stale);
    }

    @Test
    void aRunWhoseHeartbeatsTheSinkHasNotAppliedYetIsNotFailedAndIsReapedOnlyIfStaleOnceTheSinkCaughtUp() {
        SinkFixtures.Issue issue = fixtures.issue();
        Instant now = SinkFixtures.now();
        Instant longAgo = now.minus(Duration.ofHours(1));
        String alive = Ids.newUlid();
        String dead = Ids.newUlid();
        fixtures.send(
                started(issue, alive, longAgo),
                heartbeat(issue, alive, longAgo.plusSeconds(30)),
                started(issue, dead, longAgo),
                heartbeat(issue, dead, longAgo.plusSeconds(30)));
        fixtures.awaitSinkCaughtUp(CATCH_UP);
        silentFor(Duration.ofHours(1), alive, dead);

        // The sink stops (as in a database outage or a restart) while the live run's worker keeps sending heartbeats.
        sinkContainer.stop();
        try {
            fixtures.send(heartbeat(issue, alive, now), heartbeat(issue, alive, now.plusMillis(1)));

            assertThat(reaper.reap()).as("runs reaped while the sink is behind").isEmpty();
            assertThat(status(alive)).isEqualTo("running");
            assertThat(status(dead)).isEqualTo("running");
            // By the database alone the live run is an hour stale: only the sink's lag keeps the reaper off it.
            assertThat(lastHeartbeat(alive)).isEqualTo(longAgo.plusSeconds(30));
        } finally {
            sinkContainer.start();
        }
        fixtures.awaitSinkCaughtUp(CATCH_UP);

        List<String> reaped = reaper.reap();

        assertThat(reaped).contains(dead).doesNotContain(alive);
        assertThat(status(dead)).isEqualTo("failed");
        assertThat(status(alive)).isEqualTo("running");
        assertThat(lastHeartbeat(alive)).isEqualTo(now.plusMillis(1));
        assertThat(SinkFixtures.readToEnd(Topics.RUNS, RunEvent.class,
                r -> alive.equals(r.key()) && r.value().getPayload() instanceof RunFinished))
                .as("RunFinished events published for the live run").isEmpty();
    }

    @Test
    void anAbortedTransactionAtTheTailOfAPartitionDoesNotHoldTheReaperBack() throws Exception {
        SinkFixtures.Issue issue = fixtures.issue();
        Instant longAgo = SinkFixtures.now().minus(Duration.ofHours(1));
        String stale = Ids.newUlid();
        fixtures.send(started(issue, stale, longAgo));
        fixtures.awaitSinkCaughtUp(CATCH_UP);
        silentFor(Duration.ofHours(1), stale);
        // A worker's transaction aborted: its record and the abort marker are offsets the sink's consumer never
        // hands over, so nothing may be committed past them until the next record arrives on that partition.
        fixtures.abortedRunRecord(stale);
        try {
            assertThat(reaper.reap()).contains(stale);
            assertThat(status(stale)).isEqualTo("failed");
        } finally {
            // Same key, same partition: a real record lets the sink commit past the aborted one for later tests.
            fixtures.send(heartbeat(issue, stale, longAgo.plusSeconds(1)));
            fixtures.awaitSinkCaughtUp(CATCH_UP);
        }
    }

    @Test
    void aWorkerWhoseClockRunsBehindKeepsItsLiveRunAndOneWhoseClockRunsAheadLosesItsDeadRun() {
        SinkFixtures.Issue issue = fixtures.issue();
        Instant now = SinkFixtures.now();
        String behind = Ids.newUlid();
        String ahead = Ids.newUlid();
        // the worker of "behind" thinks it is an hour earlier than it is, that of "ahead" an hour later
        fixtures.send(
                started(issue, behind, now.minus(Duration.ofHours(1))),
                heartbeat(issue, behind, now.minus(Duration.ofHours(1)).plusSeconds(30)),
                started(issue, ahead, now.plus(Duration.ofHours(1))),
                heartbeat(issue, ahead, now.plus(Duration.ofHours(1)).plusSeconds(30)));
        fixtures.awaitSinkCaughtUp(CATCH_UP);

        // both just sent their heartbeats: by their stamps, "behind" looks an hour stale, "ahead" fresh for an hour
        assertThat(reaper.reap()).doesNotContain(behind, ahead);
        assertThat(status(behind)).isEqualTo("running");

        // then "ahead"'s worker dies: ten minutes without anything from it, twice the reaper's timeout
        silentFor(Duration.ofMinutes(10), ahead);
        List<String> reaped = reaper.reap();

        assertThat(reaped).contains(ahead).doesNotContain(behind);
        assertThat(status(ahead)).isEqualTo("failed");
        assertThat(status(behind)).isEqualTo("running");
        Map<String, Object> telemetry = jdbc.queryForMap("SELECT telemetry->>'started_at' AS started,"
                + " telemetry->>'ended_at' AS ended FROM cwom_runs WHERE id = ?", ahead);
        // its start, stamped in the future, is not after the end the reaper gives it
        assertThat(Instant.parse((String) telemetry.get("ended")))
                .isAfterOrEqualTo(Instant.parse((String) telemetry.get("started")));
    }

    /**
     * Stands in for time passing without any event of these runs reaching the sink: their receipt time moves back
     * by {@code silence}. Nothing else tells the reaper how old a run's last sign of life is.
     */
    private void silentFor(Duration silence, String... runs) {
        for (String run : runs) {
            jdbc.update("UPDATE cwom_runs SET last_seen_at = last_seen_at - make_interval(secs => ?) WHERE id = ?",
                    (double) silence.toSeconds(), run);
        }
    }

    private Instant lastHeartbeat(String run) {
        return jdbc.queryForObject("SELECT last_heartbeat_at FROM cwom_runs WHERE id = ?", OffsetDateTime.class, run)
                .toInstant();
    }

    private String status(String run) {
        return jdbc.queryForObject("SELECT status FROM cwom_runs WHERE id = ?", String.class, run);
    }
}
