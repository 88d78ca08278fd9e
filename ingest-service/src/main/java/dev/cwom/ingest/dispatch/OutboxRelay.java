package dev.cwom.ingest.dispatch;

import dev.cwom.events.Topics;
import dev.cwom.events.WorkOrder;
import dev.cwom.ingest.IngestProperties;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes the outbox's ready Issues as {@link WorkOrder}s to {@code cwom.issues.ready.v1} (key = issue id, header
 * {@value #EVENT_ID_HEADER} = the outbox event id).
 *
 * <p>One pass is one database transaction: claim up to a batch of unpublished rows with {@code FOR UPDATE SKIP
 * LOCKED} (so that several ingest instances share the rows without waiting on each other), send them, wait for the
 * broker's acks, then mark the acknowledged rows published and commit. A row is never marked before its ack; when
 * the process dies anywhere in the pass, the transaction rolls back and the row is published by the next pass of any
 * instance. The consequence is at-least-once: a crash after the ack and before the commit publishes the work order
 * again with the same event id, which workers de-duplicate.
 */
public class OutboxRelay implements SmartLifecycle {

    /** The Kafka header that carries the outbox event id. */
    public static final String EVENT_ID_HEADER = "cwom_event_id";

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final WorkOrders workOrders;
    private final KafkaTemplate<byte[], Object> kafka;
    private final IngestProperties.Relay settings;
    // volatile, not guarded by the monitor: the relay thread reads it while stop() waits for that thread
    private volatile @Nullable ScheduledExecutorService scheduler;

    public OutboxRelay(JdbcClient jdbc, TransactionTemplate transactions, WorkOrders workOrders,
            KafkaTemplate<byte[], Object> kafka, IngestProperties.Relay settings) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.workOrders = workOrders;
        this.kafka = kafka;
        this.settings = settings;
    }

    private record Row(long id, String eventId, String issueId, @Nullable String traceId, Instant createdAt) {
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
            for (Row row : rows) {
                try {
                    WorkOrder order = workOrders.build(row.eventId(), row.issueId(), row.traceId(), row.createdAt());
                    ProducerRecord<byte[], Object> record = new ProducerRecord<>(Topics.ISSUES_READY,
                            row.issueId().getBytes(StandardCharsets.UTF_8), order);
                    record.headers().add(EVENT_ID_HEADER, row.eventId().getBytes(StandardCharsets.UTF_8));
                    sent.add(new Sent(row, kafka.send(record)));
                } catch (RuntimeException e) {
                    // e.g. the Issue's Repo cannot be read: keep the row, say why, let the next rows go on
                    failed(row, "could not build the work order: " + e.getMessage());
                }
            }
            return awaitAcksAndMark(sent);
        });
        return published == null ? 0 : published;
    }

    private List<Row> claim() {
        return jdbc.sql("""
                        SELECT id, event_id, aggregate_id, trace_id, created_at FROM outbox
                        WHERE published_at IS NULL AND event_type = :type
                        ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED""")
                .param("type", WorkOrderOutbox.ISSUE_READY).param("limit", settings.batchSize())
                .query((rs, n) -> new Row(rs.getLong("id"), rs.getString("event_id"), rs.getString("aggregate_id"),
                        rs.getString("trace_id"), rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    private int awaitAcksAndMark(List<Sent> sent) {
        long deadline = System.nanoTime() + settings.ackTimeout().toNanos();
        kafka.flush();
        List<Long> acked = new ArrayList<>();
        for (Sent s : sent) {
            try {
                s.ack().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                acked.add(s.row().id());
                log.info("Published work order {} of Issue {} to {} (trace {})", s.row().eventId(), s.row().issueId(),
                        Topics.ISSUES_READY, s.row().traceId());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the broker's acks; the rows stay"
                        + " unpublished and are published by the next pass", e);
            } catch (ExecutionException e) {
                failed(s.row(), "the broker refused the work order: " + e.getCause());
            } catch (TimeoutException e) {
                failed(s.row(), "no ack from the broker within " + settings.ackTimeout()
                        + " (cwom.ingest.relay.ack-timeout)");
            }
        }
        if (!acked.isEmpty()) {
            jdbc.sql("UPDATE outbox SET published_at = :now, attempts = attempts + 1, last_error = NULL "
                            + "WHERE id IN (:ids)")
                    .param("now", Timestamp.from(Instant.now())).param("ids", acked).update();
        }
        return acked.size();
    }

    private void failed(Row row, String error) {
        log.warn("Outbox event {} of Issue {} not published, will retry: {}", row.eventId(), row.issueId(), error);
        jdbc.sql("UPDATE outbox SET attempts = attempts + 1, last_error = :error WHERE id = :id")
                .param("error", error).param("id", row.id()).update();
    }

    private void loop() {
        try {
            // a full batch means more is waiting: go on at once
            while (relayOnce() >= settings.batchSize() && isRunning()) {
                Thread.onSpinWait();
            }
        } catch (RuntimeException e) {
            log.warn("Outbox relay pass failed ({}); retrying in {}", e.toString(), settings.pollInterval());
        }
    }

    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("outbox-relay").daemon().factory());
        long interval = Math.max(1, settings.pollInterval().toMillis());
        started.scheduleWithFixedDelay(this::loop, 0, interval, TimeUnit.MILLISECONDS);
        scheduler = started;
        log.info("Outbox relay started: batches of {}, every {}", settings.batchSize(), settings.pollInterval());
    }

    @Override
    public void stop() {
        ScheduledExecutorService running;
        synchronized (this) {
            running = scheduler;
            scheduler = null;
        }
        if (running == null) {
            return;
        }
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
