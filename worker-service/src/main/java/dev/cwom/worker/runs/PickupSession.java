package dev.cwom.worker.runs;

import dev.cwom.model.FailureCategory;
import dev.cwom.serde.KafkaAvroDeserializer;
import dev.cwom.worker.PickupSettings;
import dev.cwom.worker.WorkerProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer and one transactional producer, on the loop's thread; nothing else touches them. Each pass polls
 * (only partitions that may take work deliver), hands each record to the {@link WorkOrderIntake}, stops runs of
 * canceled Issues, publishes due heartbeats, hands ended runs to {@link RunEnds}, and has the {@link Committer}
 * commit what waits once the commit interval is up. Shutdown stops taking work and drains within the grace.
 */
final class PickupSession implements Session, Redelivery {

    private static final Logger log = LoggerFactory.getLogger(PickupSession.class);

    private final PickupLoop loop;
    private final WorkerProperties properties;
    private final PickupSettings settings;
    private final RunScheduler scheduler;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<String, Object> producer;
    private final KafkaAvroDeserializer deserializer;
    private final Committer committer;
    private final WorkOrderIntake intake;
    private final RunEnds ends;
    private final PartitionChanges partitionChanges;
    private final Map<TopicPartition, Instant> restingUntil = new HashMap<>();

    PickupSession(PickupLoop loop) {
        this.loop = loop;
        this.properties = loop.properties();
        this.settings = properties.pickup();
        this.scheduler = loop.scheduler();
        this.consumer = loop.clients().consumer();
        try {
            producer = loop.clients().producer();
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
        deserializer = loop.clients().workOrderDeserializer();
        committer = new Committer(producer, Committer.Offsets.of(consumer), properties, loop.topics(), loop.events(), loop.clock(),
                loop.metrics());
        intake = new WorkOrderIntake(loop, deserializer, committer);
        ends = new RunEnds(loop, committer, this);
        partitionChanges = new PartitionChanges(loop, consumer, new WorkOrderReadBack(loop.clients(), deserializer,
                loop.recent().capacity(), loop.clock(), properties.workerId()), this);
    }

    @Override
    public void run() {
        producer.initTransactions();
        // Cancellations known before the first work order is taken; later ones stop runs in flight.
        if (!loop.canceledIssues().awaitCaughtUp(settings.readBackTimeout())) {
            log.warn("Worker {}: canceled Issues not read within {} ({}); taking work orders anyway: a work order of"
                    + " a canceled Issue may start and is stopped once its cancellation is read",
                    properties.workerId(), settings.readBackTimeout(), loop.topics().canceled());
        }
        consumer.subscribe(List.of(loop.topics().workOrders()), partitionChanges);
        log.info("Worker {}: taking work orders from {} in group {} (transactional id {}, up to {} runs at once,"
                + " commit interval {})", properties.workerId(), loop.topics().workOrders(), settings.groupId(),
                PickupClients.transactionalId(properties), settings.maxConcurrentRuns(), settings.commitInterval());
        Instant drainDeadline = null;
        while (!loop.halted()) {
            if (loop.stopRequested()) {
                if (drainDeadline == null) {
                    drainDeadline = loop.clock().instant().plus(properties.shutdownGrace());
                    log.info("Worker {}: shutting down; taking no more work, waiting up to {} for {} running run(s)",
                            properties.workerId(), properties.shutdownGrace(), scheduler.size());
                }
                flush();
                if (scheduler.isEmpty()) {
                    return;
                }
                if (!loop.clock().instant().isBefore(drainDeadline)) {
                    abandonAll(FailureCategory.RUNTIME, "worker shut down");
                    return;
                }
            }
            partitionChanges.readBackAgain();
            applyPauses();
            ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout());
            if (loop.halted()) {
                return;
            }
            for (TopicPartition partition : records.partitions()) {
                take(partition, records.records(partition));
            }
            scheduler.stopCanceled();
            Instant now = loop.clock().instant();
            committer.heartbeat(scheduler.dueHeartbeats(now), now);
            for (RunInFlight run : scheduler.removeEnded()) {
                ends.end(run, true);
            }
            Instant since = committer.pendingSince();
            if (since != null && !loop.clock().instant().isBefore(since.plus(settings.commitInterval()))) {
                flush();
            }
        }
    }

    /** The longest poll, cut short when what waits for the committer is due. */
    private Duration pollTimeout() {
        Instant since = committer.pendingSince();
        if (since == null) {
            return settings.pollTimeout();
        }
        Duration left = Duration.between(loop.clock().instant(), since.plus(settings.commitInterval()));
        return left.isNegative() ? Duration.ZERO : left.compareTo(settings.pollTimeout()) < 0 ? left
                : settings.pollTimeout();
    }

    /** Commits the starts and ends that wait, and what follows for each: executing, or reading it again. */
    void flush() {
        Committer.Flushed flushed = committer.flush();
        for (Attempt attempt : flushed.starts()) {
            if (flushed.aborted() != null) {
                // No run was recorded and nothing ran: its folders are nobody's.
                loop.folders().remove(attempt.runId());
                again(attempt.partition(), attempt.offset());
                continue;
            }
            scheduler.submit(attempt);
            log.info("Worker {}: run {} started for issue {} (work order {} at {}) with executor {}",
                    properties.workerId(), attempt.runId(), attempt.order().getIssueId(),
                    attempt.order().getEventId(), attempt.position(), attempt.run().executor().name());
        }
        ends.settle(flushed);
    }

    // ---- taking work orders ------------------------------------------------------------------------------------

    /**
     * Pauses what must not deliver: partitions with a run, one waiting for the committer, resting, or whose handled work
     * orders are not read back yet, and everything
     * when full, stopping or short of free space.
     */
    private void applyPauses() {
        Set<TopicPartition> owned = consumer.assignment();
        Instant now = loop.clock().instant();
        restingUntil.values().removeIf(until -> !now.isBefore(until));
        boolean takeNothing = loop.stopRequested() || full() || loop.freeSpace().paused();
        Set<TopicPartition> pause = new HashSet<>();
        Set<TopicPartition> resume = new HashSet<>();
        for (TopicPartition partition : owned) {
            boolean hold = takeNothing || busy(partition) || restingUntil.containsKey(partition)
                    || partitionChanges.unread(partition);
            (hold ? pause : resume).add(partition);
        }
        consumer.pause(pause);
        resume.retainAll(consumer.paused());
        consumer.resume(resume);
    }

    private boolean full() {
        return scheduler.size() + committer.pendingStarts() >= settings.maxConcurrentRuns();
    }

    private boolean busy(TopicPartition partition) {
        return scheduler.busy(partition) || committer.pendingOn(partition);
    }

    private boolean canTake(TopicPartition partition) {
        return !loop.stopRequested() && !busy(partition) && !restingUntil.containsKey(partition) && !full()
                && !loop.freeSpace().paused() && !partitionChanges.unread(partition);
    }

    private void take(TopicPartition partition, List<ConsumerRecord<byte[], byte[]>> records) {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (!canTake(partition)) {
                // Fetched before the partition was paused: read it again when it resumes.
                consumer.seek(partition, record.offset());
                return;
            }
            if (intake.handle(record) == WorkOrderIntake.Step.RETRY_LATER) {
                again(partition, record.offset());
                return;
            }
        }
    }

    @Override
    public void again(TopicPartition partition, long offset) {
        consumer.seek(partition, offset);
        restingUntil.put(partition, loop.clock().instant().plus(settings.redeliveryBackoff()));
    }

    /** A rebalance took {@code partitions} away: they no longer rest here. */
    void forget(java.util.Collection<TopicPartition> partitions) {
        restingUntil.keySet().removeAll(partitions);
    }

    Committer committer() {
        return committer;
    }

    RunEnds ends() {
        return ends;
    }

    /** Shutdown past its grace: what still runs is recorded failed without its offset; what has ended, finished. */
    private void abandonAll(FailureCategory category, String message) {
        for (RunInFlight run : scheduler.removeAll()) {
            if (run.result.isDone()) {
                ends.end(run, false);
            } else {
                ends.abandon(run, category, message);
            }
        }
        flush();
    }

    // ---- closing -----------------------------------------------------------------------------------------------

    @Override
    public void close() {
        boolean halted = loop.halted();
        for (Attempt attempt : committer.dropStarts(p -> true)) {
            // Never recorded, never ran. After a halt (a crash, for tests) the folders stay, as a crash leaves them.
            if (!halted) {
                loop.folders().remove(attempt.runId());
            }
        }
        for (Committer.Ending ending : committer.dropEndings(p -> true)) {
            if (!halted) {
                loop.folders().quarantine(ending.attempt().runId(), "the worker's pick-up session ended before its"
                        + " RunFinished was committed");
            }
            log.warn("Worker {}: run {} at {} ended but its RunFinished was not committed", properties.workerId(),
                    ending.attempt().runId(), ending.attempt().position());
        }
        for (RunInFlight run : scheduler.removeAll()) {
            // Left to redelivery and the reaper: the session cannot publish any more. After a halt the folders stay
            // for the next start-up sweep.
            if (!halted) {
                run.task.abandon("the worker's pick-up session ended without a RunFinished for it");
            }
            run.result.cancel(true);
            log.warn("Worker {}: run {} at {} abandoned without a RunFinished", properties.workerId(),
                    run.attempt.runId(), run.attempt.position());
        }
        try {
            producer.close(halted ? Duration.ZERO : Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            log.warn("Worker {}: closing the producer failed: {}", properties.workerId(), e.toString());
        }
        try {
            consumer.close();
        } catch (RuntimeException e) {
            log.warn("Worker {}: closing the consumer failed: {}", properties.workerId(), e.toString());
        }
        deserializer.close();
        loop.assignment(Set.of());
    }
}
