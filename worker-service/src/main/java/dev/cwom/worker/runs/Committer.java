package dev.cwom.worker.runs;

import dev.cwom.model.FailureCategory;
import dev.cwom.service.tracing.TraceHeaders;
import dev.cwom.worker.WorkerProperties;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.KafkaUtils;

/**
 * The session's transactional producer and the work orders' offsets: everything the worker publishes goes through
 * here, on the poll thread. Run starts and run ends are collected ({@link #start}, {@link #finish}) and committed
 * together by {@link #flush}; a rejected or skipped work order, a heartbeat and an abandoned attempt are committed at
 * once, in small transactions of their own.
 *
 * <p>An end's offset ({@code offset + 1} of its work order) goes into the same transaction as its events, with the
 * consumer's group metadata (KIP-447: a zombie of an older generation is fenced by the group coordinator).
 *
 * <p>Why grouping keeps finishes exactly once (docs/worker.md, "Group commit"):
 * <ul>
 *   <li>a partition has at most one work order taken and not committed: it stays paused from when its work order is
 *       taken until the end is committed, and every record before it was committed when it was handled. So the
 *       offset an end carries is the partition's lowest unfinished work order plus one, never more;</li>
 *   <li>an end and its offset are in one transaction, whatever else shares it: a read_committed reader sees the
 *       {@code RunFinished} if and only if the offset moved past its work order;</li>
 *   <li>an aborted group records nothing of any of its starts and ends; the caller records each end failed without
 *       its offset and rewinds its partition, removes each start's folders and rewinds its partition, so every work
 *       order runs again as a new attempt. A worker that dies before the commit leaves the same state: the work
 *       orders are at their committed offsets, the dead attempts' earlier {@code RunStarted} go to the sink's
 *       reaper.</li>
 * </ul>
 */
final class Committer {

    private static final Logger log = LoggerFactory.getLogger(Committer.class);

    /**
     * A run's end, waiting to be committed.
     *
     * @param attempt the run
     * @param outcome for log lines: done, failed (category), canceled
     * @param records its {@code ArtifactCreated}s and its {@code RunFinished}
     * @param owned false inside a revocation: the partition cannot be rewound, it is already someone else's to read
     * @param undelivered why its trace was not delivered, or null when it was: then its folders are removed once the
     *     end is committed, else they are kept in the quarantine for an operator
     */
    record Ending(Attempt attempt, String outcome, List<ProducerRecord<String, Object>> records, boolean owned,
            @Nullable String undelivered) {
    }

    /**
     * What one {@link #flush} did.
     *
     * @param starts the starts it carried
     * @param endings the ends it carried
     * @param aborted null when committed, else why the transaction was aborted (none of them was recorded)
     */
    record Flushed(List<Attempt> starts, List<Ending> endings, @Nullable KafkaException aborted) {

        static final Flushed NOTHING = new Flushed(List.of(), List.of(), null);
    }

    /**
     * How a work order's progress joins a transaction. A consumer group's: its offset, with the consumer's group
     * metadata (KIP-447). A share group's: nothing, since acknowledgements cannot join a transaction; the session
     * acknowledges a work order once what ends it is committed (docs/worker.md, "Share groups").
     */
    @FunctionalInterface
    interface Offsets {

        void send(KafkaProducer<String, Object> producer, Map<TopicPartition, OffsetAndMetadata> offsets);

        /** The consumer group's offsets, committed in the transaction. */
        static Offsets of(KafkaConsumer<byte[], byte[]> consumer) {
            return (producer, offsets) -> producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        }

        /** None: a share group acknowledges after the commit. */
        Offsets NONE = (producer, offsets) -> { };
    }

    private final Transactions transactions;
    private final Offsets offsets;
    private final WorkerProperties properties;
    private final PickupTopics topics;
    private final RunEvents events;
    private final Clock clock;
    private final RunMetrics metrics;
    private final List<Attempt> starts = new ArrayList<>();
    private final List<Ending> endings = new ArrayList<>();
    private @Nullable Instant pendingSince;

    Committer(KafkaProducer<String, Object> producer, Offsets offsets,
            WorkerProperties properties, PickupTopics topics, RunEvents events, Clock clock, RunMetrics metrics) {
        this.transactions = new Transactions(producer, properties);
        this.offsets = offsets;
        this.properties = properties;
        this.topics = topics;
        this.events = events;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** {@code RunStarted} of a prepared run, to be committed by the next {@link #flush}. */
    void start(Attempt attempt) {
        waiting();
        starts.add(attempt);
    }

    /** A run's end with its work order's offset, to be committed by the next {@link #flush}. */
    void finish(Ending ending) {
        waiting();
        endings.add(ending);
    }

    private void waiting() {
        if (pendingSince == null) {
            pendingSince = clock.instant();
        }
    }

    /** Whether starts or ends wait to be committed. */
    boolean pending() {
        return !starts.isEmpty() || !endings.isEmpty();
    }

    /** How many starts wait to be committed: runs about to execute. */
    int pendingStarts() {
        return starts.size();
    }

    /** Whether a start or an end of {@code partition} waits to be committed: its next work order must wait. */
    boolean pendingOn(TopicPartition partition) {
        return starts.stream().anyMatch(a -> a.partition().equals(partition))
                || endings.stream().anyMatch(e -> e.attempt().partition().equals(partition));
    }

    /** When the oldest waiting start or end was handed over; null when nothing waits. */
    @Nullable Instant pendingSince() {
        return pendingSince;
    }

    /** Takes the waiting starts of {@code partitions} back: nothing of them was recorded, nothing ran. */
    List<Attempt> dropStarts(Predicate<TopicPartition> partitions) {
        return drop(starts, a -> partitions.test(a.partition()));
    }

    /** Takes the waiting ends of {@code partitions} back: their events and offsets will not be committed. */
    List<Ending> dropEndings(Predicate<TopicPartition> partitions) {
        return drop(endings, e -> partitions.test(e.attempt().partition()));
    }

    private <T> List<T> drop(List<T> from, Predicate<T> which) {
        List<T> dropped = from.stream().filter(which).toList();
        from.removeAll(dropped);
        if (!pending()) {
            pendingSince = null;
        }
        return dropped;
    }

    /**
     * Commits the waiting starts and ends in one transaction: every start's {@code RunStarted}, every end's events,
     * and per partition the offset after its ended work order.
     */
    Flushed flush() {
        if (!pending()) {
            return Flushed.NOTHING;
        }
        List<Attempt> startsNow = List.copyOf(starts);
        List<Ending> endingsNow = List.copyOf(endings);
        starts.clear();
        endings.clear();
        pendingSince = null;
        KafkaException aborted;
        try {
            aborted = transactions.tryRun(what(startsNow, endingsNow), p -> {
                for (Attempt attempt : startsNow) {
                    p.send(attempt.record(topics.runs(), events.started(attempt)));
                }
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (Ending ending : endingsNow) {
                    ending.records().forEach(p::send);
                    offsets.merge(ending.attempt().partition(), new OffsetAndMetadata(ending.attempt().offset() + 1),
                            (a, b) -> a.offset() >= b.offset() ? a : b);
                }
                if (!offsets.isEmpty()) {
                    this.offsets.send(p, offsets);
                }
            });
        } catch (RuntimeException sessionEnds) {
            // Fenced or broken: nothing was committed. They wait again, for the session's close to dispose of.
            starts.addAll(startsNow);
            endings.addAll(endingsNow);
            throw sessionEnds;
        }
        if (aborted == null) {
            Instant now = clock.instant();
            startsNow.forEach(metrics::started);
            endingsNow.forEach(ending -> metrics.finished(ending, now));
            metrics.committed(startsNow.size() + endingsNow.size());
        }
        return new Flushed(startsNow, endingsNow, aborted);
    }

    private static String what(List<Attempt> starts, List<Ending> endings) {
        if (starts.size() == 1 && endings.isEmpty()) {
            return "start run " + starts.getFirst().runId();
        }
        if (starts.isEmpty() && endings.size() == 1) {
            return "finish run " + endings.getFirst().attempt().runId();
        }
        return "start " + starts.size() + " and finish " + endings.size() + " run(s)";
    }

    /** Commits the offset of a work order that is not run (a duplicate, a canceled Issue's). */
    boolean skip(TopicPartition partition, long offset, String what) {
        return transactions.run(what, p -> commitOffset(p, partition, offset));
    }

    /** {@code RecordRejected} with the record's bytes and a reason, and its offset. */
    boolean reject(ConsumerRecord<byte[], byte[]> record, String reasonCode, String message) {
        String position = KafkaUtils.format(record);
        log.warn("Worker {}: rejecting work order at {} ({}): {}", properties.workerId(), position, reasonCode,
                message);
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        boolean committed = transactions.run("reject " + position, p -> {
            ProducerRecord<String, Object> rejected = new ProducerRecord<>(topics.rejected(), key,
                    events.rejected(record, reasonCode, message, properties.pickup().groupId(), clock.instant()));
            TraceHeaders.copy(record.headers(), rejected.headers());
            p.send(rejected);
            commitOffset(p, partition, record.offset());
        });
        if (committed) {
            metrics.rejected(topics.rejected(), reasonCode);
        }
        return committed;
    }

    /**
     * Publishes {@code RunFinished} failed for attempts whose work orders stay uncommitted. If this small
     * transaction is aborted too, the attempts are left to the sink's reaper.
     */
    void recordFailed(List<Attempt> attempts, FailureCategory category, Function<Attempt, String> message) {
        if (attempts.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        if (transactions.run(attempts.size() == 1 ? "record failed run " + attempts.getFirst().runId()
                : "record " + attempts.size() + " failed runs", p -> attempts.forEach(a -> p.send(
                        a.record(topics.runs(), events.failed(a, category, message.apply(a), now)))))) {
            attempts.forEach(a -> metrics.failed(a, category, now));
        }
    }

    /** {@code RunHeartbeat} for each of {@code runs}, in one transaction; a lost one is not retried. */
    void heartbeat(List<RunInFlight> runs, Instant now) {
        if (runs.isEmpty()) {
            return;
        }
        if (transactions.run("heartbeat " + runs.size() + " run(s)", p -> runs.forEach(f -> p.send(
                f.attempt.record(topics.runs(), events.heartbeat(f.attempt, now)))))) {
            metrics.heartbeats(runs.size());
        }
    }

    private void commitOffset(KafkaProducer<String, Object> p, TopicPartition partition, long offset) {
        offsets.send(p, Map.of(partition, new OffsetAndMetadata(offset + 1)));
    }
}
