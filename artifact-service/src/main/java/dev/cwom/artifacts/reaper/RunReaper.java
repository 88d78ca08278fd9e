package dev.cwom.artifacts.reaper;

import dev.cwom.artifacts.sink.SinkEvent;
import dev.cwom.artifacts.sink.SinkWriter;
import dev.cwom.events.Failure;
import dev.cwom.events.FailureCategory;
import dev.cwom.events.RunEvent;
import dev.cwom.events.RunFinished;
import dev.cwom.events.RunOutcome;
import dev.cwom.events.Topics;
import dev.cwom.model.Ids;
import dev.cwom.service.tracing.TraceHeaders;
import dev.cwom.service.tracing.TracedWork;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fails runs still {@code running} of which the sink has received nothing alive (a start or a newer heartbeat) for
 * longer than the timeout, and publishes a {@code RunFinished} for each so that ingest moves the Issue.
 *
 * <p>Staleness is judged on the sink's own clock: {@code last_seen_at} is the database's time when such an event was
 * stored, compared with the database's time when the round began. The heartbeat times in the events come from the
 * workers' clocks; judged on those, a worker whose clock runs behind would get its live runs reaped, and one whose
 * clock runs ahead would keep its dead runs alive for as long as it is ahead.
 *
 * <p>{@code last_seen_at} is only as fresh as the sink's consumption. After a database outage or a restart of
 * the sink, heartbeats can wait on {@code cwom.runs.v1} while the wall clock runs on, and a run that is alive looks
 * stale in the database; its reaper {@code RunFinished} (occurred now) would then win over the worker's later
 * success. So a round first notes the time and the end of {@code cwom.runs.v1}, and acts only once the sink group
 * has committed up to that end ({@link SinkProgress}), i.e. every heartbeat sent before that time is in the database;
 * staleness is measured against that time. If the sink does not get there within {@code sinkCatchUpWait}, the
 * round reaps nothing and the next one tries again.
 *
 * <p>One round is one transaction: the candidate rows are
 * locked ({@code FOR UPDATE SKIP LOCKED}, so several instances never reap the same run), the event is applied with
 * the sink's own upsert (so consuming it back later changes nothing), published and acknowledged, and only then is
 * the transaction committed. A failed publish rolls the round back; the next round tries again.
 */
public class RunReaper {

    private static final Logger log = LoggerFactory.getLogger(RunReaper.class);

    /** The stale running runs, oldest first, locked for this round; package-visible for the query plan test. */
    static final String CANDIDATES = """
            SELECT id, issue_id, repo_id, last_heartbeat_at, last_seen_at, telemetry->>'started_at' AS started_at
            FROM cwom_runs
            WHERE status = 'running' AND last_seen_at < ?
            ORDER BY last_seen_at, id
            LIMIT ?
            FOR UPDATE SKIP LOCKED""";

    /** How often a round asks whether the sink caught up while it waits. */
    private static final Duration CATCH_UP_POLL = Duration.ofMillis(200);

    private final TraceHeaders traces;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final SinkWriter writer;
    private final KafkaTemplate<byte[], Object> events;
    private final Clock clock;
    private final Duration timeout;
    private final int maxPerRound;
    private final Duration publishTimeout;
    private final SinkProgress sink;
    private final Duration sinkCatchUpWait;

    public RunReaper(JdbcTemplate jdbc, TransactionTemplate transactions, SinkWriter writer,
            KafkaTemplate<byte[], Object> events, Clock clock, Duration timeout, int maxPerRound,
            Duration publishTimeout, SinkProgress sink, Duration sinkCatchUpWait, TraceHeaders traces) {
        this.traces = traces;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.writer = writer;
        this.events = events;
        this.clock = clock;
        this.timeout = timeout;
        this.maxPerRound = maxPerRound;
        this.publishTimeout = publishTimeout;
        this.sink = sink;
        this.sinkCatchUpWait = sinkCatchUpWait;
    }

    /** One round; answers the ids of the runs it failed (none while the sink is behind). */
    public List<String> reap() {
        Instant now = clock.instant();
        // the sink's clock (the one last_seen_at is written with), read before the end of the topic is noted
        OffsetDateTime roundStart = java.util.Objects.requireNonNull(
                jdbc.queryForObject("SELECT now()", OffsetDateTime.class));
        Map<TopicPartition, Long> ends = sink.runEventsEnd();
        Map<TopicPartition, Long> behind = awaitSink(ends);
        if (!behind.isEmpty()) {
            log.info("Reaper round skipped: sink group has not yet applied the run events that were on {} at {}"
                    + " (unapplied records per partition: {}), so the heartbeats in the database may be stale; trying"
                    + " again next round", Topics.RUNS, now, behind);
            return List.of();
        }
        OffsetDateTime cutoff = roundStart.minus(timeout);
        List<String> reaped = transactions.execute(status -> {
            List<RunEvent> finished = jdbc.query(CANDIDATES, (rs, n) -> finished(rs, now), cutoff, maxPerRound);
            if (finished.isEmpty()) {
                return List.<String>of();
            }
            writer.write(finished.stream().map(e -> (SinkEvent) new SinkEvent.RunEventReceived(0, e)).toList());
            publish(finished);
            return finished.stream().map(RunEvent::getRunId).toList();
        });
        if (reaped != null && !reaped.isEmpty()) {
            log.warn("Reaped {} run(s) without a heartbeat for {}: {}", reaped.size(), timeout, reaped);
        }
        return reaped == null ? List.of() : reaped;
    }

    /** Waits up to {@code sinkCatchUpWait} for the sink group to commit up to {@code ends}; answers what is left. */
    private Map<TopicPartition, Long> awaitSink(Map<TopicPartition, Long> ends) {
        long deadline = System.nanoTime() + sinkCatchUpWait.toNanos();
        while (true) {
            Map<TopicPartition, Long> behind = sink.behind(ends);
            if (behind.isEmpty()) {
                return behind;
            }
            if (System.nanoTime() >= deadline) {
                return sink.withRecords(behind, ends);
            }
            try {
                Thread.sleep(CATCH_UP_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return behind;
            }
        }
    }

    private RunEvent finished(ResultSet rs, Instant now) throws SQLException {
        Instant lastHeartbeat = rs.getObject("last_heartbeat_at", OffsetDateTime.class).toInstant();
        Instant lastSeen = rs.getObject("last_seen_at", OffsetDateTime.class).toInstant();
        String startedText = rs.getString("started_at");
        Instant startedAt = startedText == null ? lastHeartbeat : Instant.parse(startedText);
        // a worker clock running ahead may have started the run "later" than now
        Instant endedAt = now.isBefore(startedAt) ? startedAt : now;
        RunFinished payload = RunFinished.newBuilder()
                .setStatus(RunOutcome.failed)
                .setFailure(new Failure(FailureCategory.runtime, "worker lost, nothing received from it since "
                        + lastSeen + " (the sink's time; its last heartbeat was stamped " + lastHeartbeat + ")"))
                .setStartedAt(startedAt)
                .setEndedAt(endedAt)
                .setDurationS(Duration.between(startedAt, endedAt).toMillis() / 1000.0)
                .setArtifactIds(List.of())
                .setDecisionLog(List.of())
                .build();
        return RunEvent.newBuilder()
                .setEventId(Ids.newUlid())
                .setOccurredAt(now)
                .setRunId(rs.getString("id"))
                .setIssueId(rs.getString("issue_id"))
                .setRepoId(rs.getString("repo_id"))
                .setWorkerId(null)
                .setPayload(payload)
                .build();
    }

    private void publish(List<RunEvent> finished) {
        List<CompletableFuture<?>> acks = new ArrayList<>();
        // a reaped run's lost worker took its trace context along: the reaper's verdict starts a trace of its own
        for (RunEvent event : finished) {
            try (TracedWork reaped = traces.startInScope("cwom.reaper.fail-run")) {
                reaped.span().tag("cwom.run_id", event.getRunId());
                ProducerRecord<byte[], Object> record = new ProducerRecord<>(Topics.RUNS,
                        event.getRunId().getBytes(StandardCharsets.UTF_8), event);
                traces.inject(record.headers());
                acks.add(events.send(record));
            }
        }
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                    .get(publishTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while publishing reaped runs; the round is rolled back", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("Could not publish RunFinished for " + finished.size() + " reaped run(s) to "
                    + Topics.RUNS + "; the round is rolled back and tried again next period", e);
        }
    }
}
