package dev.cwom.ingest.dispatch;

import dev.cwom.events.IssueCanceled;
import dev.cwom.events.Topics;
import dev.cwom.events.WorkOrder;
import dev.cwom.ingest.IngestProperties;
import dev.cwom.ingest.attempts.IssueAttempts;
import dev.cwom.json.CwomJson;
import dev.cwom.serde.SerdeErrors;
import dev.cwom.service.kafka.ConsumerFailures;
import dev.cwom.service.tracing.TraceHeaders;
import dev.cwom.service.tracing.TracedWork;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes the outbox's rows (key = issue id, header {@value #EVENT_ID_HEADER} = the outbox event id): ready Issues as
 * {@link WorkOrder}s to {@code cwom.issues.ready.v1}, canceled Issues and withdrawals (an Issue that left ready) as
 * {@link IssueCanceled} to {@code cwom.issues.canceled.v1}. All kinds share the queue, its order and the parking below.
 * A work order whose attempt was withdrawn before its turn came is not published at all: the withdrawal behind it in
 * the queue would only tell the workers to skip it.
 *
 * <p>One pass is one database transaction: claim up to a batch of unpublished rows with {@code FOR UPDATE SKIP
 * LOCKED} (so that several ingest instances share the rows without waiting on each other), send them, wait for the
 * broker's acks, then mark the acknowledged rows published and commit. A row is never marked before its ack; when
 * the process dies anywhere in the pass, the transaction rolls back and the row is published by the next pass of any
 * instance. The consequence is at-least-once: a crash after the ack and before the commit publishes the work order
 * again with the same event id, which workers de-duplicate.
 *
 * <p>A row that fails for a reason of its own (its work order cannot be built, or the broker refuses it as not
 * retriable) is retried by later passes and parked after {@code max-failed-attempts}: {@code parked_at} and
 * {@code parked_reason} say when and why, and the relay skips it from then on, so it can neither loop forever nor
 * hold the head of the queue. Each work order is built in a savepoint, so one that cannot be built never spoils the
 * pass's transaction for the rows around it.
 */
public class OutboxRelay implements SmartLifecycle {

    /** The Kafka header that carries the outbox event id. */
    public static final String EVENT_ID_HEADER = "cwom_event_id";

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final TransactionTemplate savepoint;
    private final WorkOrders workOrders;
    private final IssueAttempts attempts;
    private final KafkaTemplate<byte[], Object> kafka;
    private final IngestProperties.Relay settings;
    private final OutboxWakeUp wakeUp;
    private final TraceHeaders traces;
    private final OutboxMetrics metrics;
    // volatile, not guarded by the monitor: the relay thread reads it while stop() waits for that thread
    private volatile @Nullable ExecutorService scheduler;

    public OutboxRelay(JdbcClient jdbc, TransactionTemplate transactions, WorkOrders workOrders,
            IssueAttempts attempts, KafkaTemplate<byte[], Object> kafka, IngestProperties.Relay settings,
            OutboxWakeUp wakeUp, TraceHeaders traces, OutboxMetrics metrics) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.savepoint = new TransactionTemplate(Objects.requireNonNull(transactions.getTransactionManager(),
                "the relay's TransactionTemplate needs a transaction manager"));
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.workOrders = workOrders;
        this.attempts = attempts;
        this.kafka = kafka;
        this.settings = settings;
        this.wakeUp = wakeUp;
        this.traces = traces;
        this.metrics = metrics;
    }

    /**
     * One outbox row; repoId, canceledAt and reason are set for an {@code IssueCanceled} or {@code IssueWithdrawn} row
     * only, requestedBy and policyRefId for an {@code IssueReady} row written since the operator policy exists, attempt
     * for an {@code IssueReady} row (its attempt) or an {@code IssueWithdrawn} row (withdrawn through) written since
     * attempts are numbered, replayOf for an {@code IssueReady} row of a replay (all from its payload); traceContext is
     * the writer's trace context, empty for rows written before it was kept.
     */
    private record Row(long id, String eventId, String eventType, String issueId, @Nullable String traceId,
            Instant createdAt, @Nullable String repoId, @Nullable Instant canceledAt, @Nullable String reason,
            @Nullable String requestedBy, @Nullable String policyRefId, @Nullable Integer attempt,
            @Nullable String replayOf, Map<String, String> traceContext) {

        /** Published as an IssueCanceled: a final cancellation or a withdrawal. */
        boolean canceled() {
            return WorkOrderOutbox.ISSUE_CANCELED.equals(eventType) || withdrawal();
        }

        boolean withdrawal() {
            return WorkOrderOutbox.ISSUE_WITHDRAWN.equals(eventType);
        }

        String topic() {
            return canceled() ? Topics.ISSUES_CANCELED : Topics.ISSUES_READY;
        }

        /** What the row becomes, for log lines. */
        String what() {
            return withdrawal() ? "withdrawal" : canceled() ? "cancellation" : "work order";
        }
    }

    private record Sent(Row row, CompletableFuture<SendResult<byte[], Object>> ack) {
    }

    /**
     * One pass: claims, publishes and marks up to a batch of rows in one transaction.
     *
     * @return how many rows were published
     */
    public int relayOnce() {
        Integer published = transactions.execute(status -> {
            List<Row> rows = claim();
            List<Sent> sent = new ArrayList<>();
            List<Long> withdrawn = new ArrayList<>();
            for (Row row : rows) {
                if (!row.canceled() && attempts.withdrawn(row.issueId(), row.attempt())) {
                    withdrawn.add(row.id());
                    log.info("Not publishing work order {} of Issue {}: its attempt {} was withdrawn (the Issue left"
                            + " ready) before the relay reached it", row.eventId(), row.issueId(), row.attempt());
                    continue;
                }
                Object event;
                try {
                    event = row.canceled() ? canceled(row) : build(row);
                } catch (RuntimeException e) {
                    // e.g. a linked object is gone or unreadable: this row's own problem, the next rows go on;
                    // a database hiccup (query timeout, lock not available) is not and does not count
                    failed(row, "could not build the " + row.what() + ": " + e,
                            !ConsumerFailures.isTransient(e));
                    continue;
                }
                ProducerRecord<byte[], Object> record = new ProducerRecord<>(row.topic(),
                        row.issueId().getBytes(StandardCharsets.UTF_8), event);
                record.headers().add(EVENT_ID_HEADER, row.eventId().getBytes(StandardCharsets.UTF_8));
                // the relay's span continues the trace of whoever wrote the row, and the record carries it on
                try (TracedWork relayed = traces.continueFrom(row.traceContext(), "cwom.outbox.relay")) {
                    traces.inject(record.headers());
                    sent.add(new Sent(row, kafka.send(record)));
                } catch (RuntimeException e) {
                    // the producer refused before sending (e.g. serialization, or the registry is away)
                    failed(row, "the producer refused the " + row.what() + ": " + e, !isTransient(e));
                }
            }
            markWithdrawn(withdrawn);
            return awaitAcksAndMark(sent);
        });
        int count = published == null ? 0 : published;
        // after the commit: rows marked published, not rows about to be
        metrics.published(count);
        return count;
    }

    /**
     * Builds one work order in a savepoint of the pass's transaction. The reads go through transactional services
     * that join that transaction; when one fails, Spring marks the whole transaction rollback-only (and a failed
     * statement aborts it in PostgreSQL). Rolling back to the savepoint undoes both, so the pass can still commit
     * the other rows' marks and this row's failure.
     */
    private WorkOrder build(Row row) {
        return Objects.requireNonNull(savepoint.execute(status ->
                workOrders.build(row.eventId(), row.issueId(), row.traceId(), row.createdAt(),
                        row.requestedBy(), row.policyRefId(), row.attempt(), row.replayOf())));
    }

    /**
     * The cancellation or withdrawal as the row recorded it when the Issue was canceled or left ready: nothing to look
     * up, since what it says no longer changes.
     */
    private static IssueCanceled canceled(Row row) {
        return IssueCanceled.newBuilder()
                .setEventId(row.eventId())
                .setOccurredAt(row.createdAt())
                .setIssueId(row.issueId())
                .setRepoId(Objects.requireNonNull(row.repoId(), "the IssueCanceled row has no payload.repo_id"))
                .setCanceledAt(Objects.requireNonNull(row.canceledAt(), "the IssueCanceled row has no"
                        + " payload.canceled_at"))
                .setReason(row.reason())
                .setWithdrawnThroughAttempt(row.withdrawal() ? Objects.requireNonNull(row.attempt(),
                        "the IssueWithdrawn row has no payload.attempt") : null)
                .build();
    }

    private static Map<String, String> traceContext(@Nullable String json) {
        if (json == null) {
            return Map.of();
        }
        Map<String, String> context = new HashMap<>();
        CwomJson.mapper().readTree(json).properties().forEach(e -> context.put(e.getKey(), e.getValue().asString()));
        return context;
    }

    private List<Row> claim() {
        return jdbc.sql("""
                        SELECT id, event_id, event_type, aggregate_id, trace_id, trace_context, created_at,
                            payload ->> 'repo_id' AS repo_id, payload ->> 'canceled_at' AS canceled_at,
                            payload ->> 'reason' AS reason, payload ->> 'requested_by' AS requested_by,
                            payload ->> 'policy_ref_id' AS policy_ref_id,
                            CAST(payload ->> 'attempt' AS integer) AS attempt, payload ->> 'replay_of' AS replay_of
                        FROM outbox
                        WHERE published_at IS NULL AND parked_at IS NULL AND event_type IN (:types)
                        ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED""")
                .param("types", List.of(WorkOrderOutbox.ISSUE_READY, WorkOrderOutbox.ISSUE_CANCELED,
                        WorkOrderOutbox.ISSUE_WITHDRAWN))
                .param("limit", settings.batchSize())
                .query((rs, n) -> {
                    String canceledAt = rs.getString("canceled_at");
                    return new Row(rs.getLong("id"), rs.getString("event_id"), rs.getString("event_type"),
                            rs.getString("aggregate_id"), rs.getString("trace_id"),
                            rs.getTimestamp("created_at").toInstant(), rs.getString("repo_id"),
                            canceledAt == null ? null : Instant.parse(canceledAt), rs.getString("reason"),
                            rs.getString("requested_by"), rs.getString("policy_ref_id"),
                            rs.getObject("attempt", Integer.class), rs.getString("replay_of"),
                            traceContext(rs.getString("trace_context")));
                })
                .list();
    }

    /**
     * Marks work orders whose attempt was withdrawn as done without publishing them; {@code last_error} says why, for
     * whoever wonders where the work order went.
     */
    private void markWithdrawn(List<Long> ids) {
        if (!ids.isEmpty()) {
            jdbc.sql("UPDATE outbox SET published_at = :now, last_error = 'not published: its attempt was withdrawn "
                            + "before the relay reached it' WHERE id IN (:ids)")
                    .param("now", Timestamp.from(Instant.now())).param("ids", ids).update();
        }
    }

    private int awaitAcksAndMark(List<Sent> sent) {
        long deadline = System.nanoTime() + settings.ackTimeout().toNanos();
        kafka.flush();
        List<Long> acked = new ArrayList<>();
        for (Sent s : sent) {
            try {
                s.ack().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                acked.add(s.row().id());
                log.info("Published {} {} of Issue {} to {} (trace {})", s.row().what(), s.row().eventId(),
                        s.row().issueId(), s.row().topic(), s.row().traceId());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the broker's acks; the rows stay"
                        + " unpublished and are published by the next pass", e);
            } catch (ExecutionException e) {
                failed(s.row(), "the broker refused the " + s.row().what() + ": " + e.getCause(), !isTransient(e));
            } catch (TimeoutException e) {
                failed(s.row(), "no ack from the broker within " + settings.ackTimeout()
                        + " (cwom.ingest.relay.ack-timeout)", false);
            }
        }
        if (!acked.isEmpty()) {
            jdbc.sql("UPDATE outbox SET published_at = :now, attempts = attempts + 1, last_error = NULL "
                            + "WHERE id IN (:ids)")
                    .param("now", Timestamp.from(Instant.now())).param("ids", acked).update();
        }
        return acked.size();
    }

    /**
     * Records a failed attempt. One that is the row's own fault counts towards parking; a transient one (the broker
     * or the registry away) does not, so an outage never parks healthy rows.
     */
    private void failed(Row row, String error, boolean rowsFault) {
        metrics.publishFailed();
        int failedAttempts = jdbc.sql("""
                        UPDATE outbox SET attempts = attempts + 1, last_error = :error,
                            failed_attempts = failed_attempts + :counts
                        WHERE id = :id RETURNING failed_attempts""")
                .param("error", error).param("counts", rowsFault ? 1 : 0).param("id", row.id())
                .query(Integer.class).single();
        if (rowsFault && failedAttempts >= settings.maxFailedAttempts()) {
            String reason = "parked after " + failedAttempts + " failed attempts (cwom.ingest.relay.max-failed-attempts"
                    + " = " + settings.maxFailedAttempts() + "); last: " + error;
            jdbc.sql("UPDATE outbox SET parked_at = :now, parked_reason = :reason WHERE id = :id")
                    .param("now", Timestamp.from(Instant.now())).param("reason", reason).param("id", row.id())
                    .update();
            log.error("Outbox event {} of Issue {} {}. It is no longer retried; fix the cause, then set parked_at,"
                    + " parked_reason and failed_attempts of outbox row {} back to NULL/0 to retry it", row.eventId(),
                    row.issueId(), reason, row.id());
        } else {
            log.warn("Outbox event {} of Issue {} not published, will retry ({} of {} failed attempts): {}",
                    row.eventId(), row.issueId(), failedAttempts, settings.maxFailedAttempts(), error);
        }
    }

    /** The broker or the registry being away, by exception type along the cause chain. */
    private static boolean isTransient(Throwable failure) {
        if (SerdeErrors.isRetryable(failure)) {
            return true;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetriableException || t instanceof org.apache.kafka.common.errors.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** Passes until one finds less than a batch, then waits for a wake-up or the poll interval; until stopped. */
    private void loop(ExecutorService self) {
        while (scheduler == self) {
            try {
                // a full batch means more is waiting: go on at once
                while (relayOnce() >= settings.batchSize() && scheduler == self) {
                    Thread.onSpinWait();
                }
            } catch (RuntimeException e) {
                log.warn("Outbox relay pass failed ({}); retrying in {}", e.toString(), settings.pollInterval());
            }
            try {
                wakeUp.await(settings.pollInterval());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        ExecutorService started = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("outbox-relay").daemon().factory());
        scheduler = started;
        started.execute(() -> loop(started));
        log.info("Outbox relay started: batches of {}, woken by each commit that writes the outbox, else every {}",
                settings.batchSize(), settings.pollInterval());
    }

    @Override
    public void stop() {
        ExecutorService running;
        synchronized (this) {
            running = scheduler;
            scheduler = null;
        }
        if (running == null) {
            return;
        }
        wakeUp.wake();
        running.shutdown();
        try {
            if (!running.awaitTermination(settings.ackTimeout().plus(Duration.ofSeconds(5)).toMillis(),
                    TimeUnit.MILLISECONDS)) {
                running.shutdownNow();
            }
        } catch (InterruptedException e) {
            running.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}
