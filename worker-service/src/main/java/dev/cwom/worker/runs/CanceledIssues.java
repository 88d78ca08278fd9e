package dev.cwom.worker.runs;

import dev.cwom.events.IssueCanceled;
import dev.cwom.serde.AvroSerdeException;
import dev.cwom.serde.KafkaAvroDeserializer;
import dev.cwom.serde.SerdeErrors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.KafkaUtils;

/**
 * The Issues canceled and the attempts withdrawn, as {@code cwom.issues.canceled.v1} tells them: a background thread
 * with a consumer of its own, without a group (every partition assigned, read_committed, from the beginning on every
 * start, nothing committed), keeps per issue id its {@code canceled_at} (a final cancellation: every work order and run
 * of the Issue stops) and the highest attempt withdrawn ({@code withdrawn_through_attempt}: the Issue left ready, its
 * attempts up to that number stop, later ones go on). The pick-up loop asks {@link #stops} before it runs a work order
 * and while a run is in flight; it is started and stopped with the loop.
 *
 * <p>Memory: one entry (a 26-character id, two instants, a number and a short reason, about 250 bytes with the map's
 * overhead) per Issue canceled or left ready within {@link #KEEP}; older entries are dropped. An entry only matters
 * while a work order of the Issue published before it can still be read, which is the retention of
 * {@code cwom.issues.ready.v1} (7 days unless configured) or as long as the workers lag behind; 14 days covers both
 * with a margin. 10,000 entries a day are about 35 MB. The topic is compacted, so reading it from the beginning reads
 * each Issue's last record once, however many times the relay published it; that record is enough, since a
 * cancellation is final and a withdrawal covers every attempt up to its number.
 *
 * <p>What it cannot promise: a cancellation published a moment before a work order may be read after it, since the
 * two are on different topics. The run then starts and is stopped as soon as the cancellation arrives.
 */
public final class CanceledIssues {

    /** How long a cancellation is remembered after its {@code canceled_at}. */
    static final Duration KEEP = Duration.ofDays(14);

    private static final Logger log = LoggerFactory.getLogger(CanceledIssues.class);
    private static final Duration EVICT_EVERY = Duration.ofMinutes(10);

    private final PickupClients clients;
    private final String topic;
    private final Clock clock;
    private final String workerId;
    private final Duration pollTimeout;
    private final Map<String, Stop> stops = new ConcurrentHashMap<>();

    private final Object lifecycle = new Object();
    private @Nullable Thread thread;
    private @Nullable KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean stopping;
    private volatile CountDownLatch caughtUp = new CountDownLatch(1);
    private Instant evicted = Instant.EPOCH;

    CanceledIssues(PickupClients clients, String topic, Clock clock, String workerId, Duration pollTimeout) {
        this.clients = clients;
        this.topic = topic;
        this.clock = clock;
        this.workerId = workerId;
        this.pollTimeout = pollTimeout;
    }

    /**
     * What stops an Issue's work: its final cancellation, and the highest attempt withdrawn with when and why (0 when
     * none is). The first cancellation read wins, as does the highest withdrawal.
     */
    private record Stop(@Nullable Instant canceledAt, int withdrawnThrough, @Nullable Instant withdrawnAt,
            @Nullable String withdrawnBecause) {

        static Stop of(IssueCanceled event) {
            Integer through = event.getWithdrawnThroughAttempt();
            return through == null ? new Stop(event.getCanceledAt(), 0, null, null)
                    : new Stop(null, through, event.getCanceledAt(), event.getReason());
        }

        Stop merge(Stop other) {
            Stop withdrawal = other.withdrawnThrough > withdrawnThrough ? other : this;
            return new Stop(canceledAt != null ? canceledAt : other.canceledAt, withdrawal.withdrawnThrough,
                    withdrawal.withdrawnAt, withdrawal.withdrawnBecause);
        }

        /** The later of the two instants: the entry is kept {@link #KEEP} after it. */
        Instant last() {
            Instant at = canceledAt != null ? canceledAt : Instant.EPOCH;
            return withdrawnAt != null && withdrawnAt.isAfter(at) ? withdrawnAt : at;
        }
    }

    /** When Issue {@code issueId} was canceled, or null when this follower has not seen it canceled. */
    public @Nullable Instant canceledAt(String issueId) {
        Stop stop = stops.get(issueId);
        return stop == null ? null : stop.canceledAt();
    }

    /**
     * Why the work order or run of Issue {@code issueId} that is attempt {@code attempt} must stop, or null when it
     * goes on: the Issue was canceled, or the attempt was withdrawn because the Issue left ready. A work order without
     * a number (from an ingest older than attempt numbers) is below any, so every withdrawal covers it.
     */
    public @Nullable String stops(String issueId, @Nullable Integer attempt) {
        Stop stop = stops.get(issueId);
        if (stop == null) {
            return null;
        }
        if (stop.canceledAt() != null) {
            return "Issue " + issueId + " was canceled at " + stop.canceledAt();
        }
        if (stop.withdrawnThrough() > 0 && (attempt == null || attempt <= stop.withdrawnThrough())) {
            return "attempt " + (attempt == null ? "(unnumbered)" : attempt) + " of Issue " + issueId
                    + " was withdrawn at " + stop.withdrawnAt() + " (" + stop.withdrawnBecause() + ")";
        }
        return null;
    }

    /** How many Issues with a cancellation or a withdrawal are remembered. */
    public int size() {
        return stops.size();
    }

    /**
     * Waits until the follower has read the topic up to where it ended when the follower started.
     *
     * @return false when that did not happen within {@code timeout}
     */
    boolean awaitCaughtUp(Duration timeout) {
        try {
            return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void start() {
        synchronized (lifecycle) {
            if (thread != null) {
                return;
            }
            stopping = false;
            caughtUp = new CountDownLatch(1);
            Thread t = new Thread(this::follow, "cwom-canceled-issues-" + workerId);
            t.setDaemon(true);
            thread = t;
            t.start();
        }
    }

    void stop() {
        Thread t;
        synchronized (lifecycle) {
            t = thread;
            thread = null;
            stopping = true;
            if (consumer != null) {
                consumer.wakeup();
            }
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void follow() {
        while (!stopping) {
            try (KafkaConsumer<byte[], byte[]> c = clients.canceledIssuesConsumer();
                    KafkaAvroDeserializer deserializer = clients.workOrderDeserializer()) {
                synchronized (lifecycle) {
                    if (stopping) {
                        return;
                    }
                    consumer = c;
                }
                follow(c, deserializer);
            } catch (WakeupException e) {
                // stop() woke the consumer up
            } catch (KafkaException e) {
                if (stopping) {
                    return;
                }
                log.warn("Worker {}: following {} failed ({}); starting again in {}", workerId, topic, e.toString(),
                        pollTimeout.multipliedBy(10));
                pause(pollTimeout.multipliedBy(10));
            } finally {
                synchronized (lifecycle) {
                    consumer = null;
                }
            }
        }
    }

    private void follow(KafkaConsumer<byte[], byte[]> c, KafkaAvroDeserializer deserializer) {
        List<TopicPartition> partitions = partitions(c);
        if (partitions.isEmpty()) {
            return;
        }
        c.assign(partitions);
        c.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = new HashMap<>(c.endOffsets(partitions));
        log.info("Worker {}: following canceled Issues on {} ({} partitions) from the beginning", workerId, topic,
                partitions.size());
        while (!stopping) {
            for (ConsumerRecord<byte[], byte[]> record : c.poll(pollTimeout)) {
                if (!apply(record, deserializer)) {
                    // the registry is away: read it again, later, rather than lose a cancellation
                    c.seek(new TopicPartition(record.topic(), record.partition()), record.offset());
                    pause(pollTimeout.multipliedBy(10));
                    break;
                }
            }
            if (!end.isEmpty()) {
                end.entrySet().removeIf(e -> c.position(e.getKey()) >= e.getValue());
                if (end.isEmpty()) {
                    log.info("Worker {}: read the {} canceled or withdrawn Issue(s) on {}", workerId, stops.size(),
                            topic);
                    caughtUp.countDown();
                }
            }
            evictOld();
        }
    }

    /** The topic's partitions; none when it does not exist (yet): then follow() tries again after a pause. */
    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> c) {
        List<PartitionInfo> found;
        try {
            found = c.partitionsFor(topic, pollTimeout.multipliedBy(10));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            found = List.of();
        }
        if (found == null || found.isEmpty()) {
            log.warn("Worker {}: topic {} is not there yet; canceled Issues cannot be followed until it is",
                    workerId, topic);
            pause(pollTimeout.multipliedBy(10));
            return List.of();
        }
        return found.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    /** Remembers one cancellation; false when it cannot be read now (retry), true when handled or skipped. */
    private boolean apply(ConsumerRecord<byte[], byte[]> record, KafkaAvroDeserializer deserializer) {
        String position = KafkaUtils.format(record);
        Object value;
        try {
            value = record.value() == null ? null : deserializer.deserialize(record.topic(), record.value());
        } catch (AvroSerdeException e) {
            if (SerdeErrors.isRetryable(e)) {
                log.warn("Worker {}: cannot read the canceled Issue at {} now ({}); trying again", workerId,
                        position, e.getMessage());
                return false;
            }
            // Only ingest's relay writes here; nothing to reject to, and nothing this worker could do with it.
            log.error("Worker {}: skipping unreadable record at {} ({}): {}", workerId, position, e.reasonCode(),
                    e.getMessage());
            return true;
        }
        if (!(value instanceof IssueCanceled event)) {
            log.error("Worker {}: skipping record at {}: {} is not an IssueCanceled", workerId, position,
                    value == null ? "a null value (tombstone)" : value.getClass().getName());
            return true;
        }
        if (event.getCanceledAt().isBefore(clock.instant().minus(KEEP))) {
            return true;
        }
        Stop before = stops.get(event.getIssueId());
        Stop after = stops.merge(event.getIssueId(), Stop.of(event), Stop::merge);
        if (!after.equals(before) && caughtUp.getCount() == 0) {
            if (event.getWithdrawnThroughAttempt() == null) {
                log.info("Worker {}: Issue {} was canceled at {} (event {})", workerId, event.getIssueId(),
                        event.getCanceledAt(), event.getEventId());
            } else {
                log.info("Worker {}: Issue {} left ready at {}; its attempts up to {} are withdrawn (event {})",
                        workerId, event.getIssueId(), event.getCanceledAt(), event.getWithdrawnThroughAttempt(),
                        event.getEventId());
            }
        }
        return true;
    }

    private void evictOld() {
        Instant now = clock.instant();
        if (Duration.between(evicted, now).compareTo(EVICT_EVERY) < 0) {
            return;
        }
        evicted = now;
        Instant oldest = now.minus(KEEP);
        stops.values().removeIf(stop -> stop.last().isBefore(oldest));
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
