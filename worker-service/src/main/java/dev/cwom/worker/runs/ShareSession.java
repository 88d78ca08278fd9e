package dev.cwom.worker.runs;

import dev.cwom.events.WorkOrder;
import dev.cwom.model.FailureCategory;
import dev.cwom.serde.KafkaAvroDeserializer;
import dev.cwom.worker.PickupSettings;
import dev.cwom.worker.WorkerProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.KafkaUtils;

/**
 * Pick-up through a share group (KIP-932, {@code cwom.worker.pickup.mode=share-group}): any number of workers take
 * work orders from the same partitions. Each run slot is a {@link Lane}, a share consumer that holds at most one work
 * order (explicit acknowledgement, {@code record_limit}, one record per poll): while its run lives the lane renews the
 * work order's acquisition lock ({@code RENEW}) every third of the lock duration, so runs may outlast the lock; once
 * the run's end is committed it acknowledges {@code ACCEPT}. The runs, their events and the group commit are the
 * consumer group's ({@link WorkOrderIntake}, {@link RunScheduler}, {@link RunEnds}, {@link Committer}), without
 * offsets: acknowledgements cannot join a transaction.
 *
 * <p>So a worker that dies after its end is committed and before its {@code ACCEPT} reaches the broker leaves a work
 * order that is delivered again, with a higher delivery count. A redelivered work order is therefore looked for on
 * the runs topic first ({@link WorkOrderEnds}): if a run already ended it, it is acknowledged without a run. One
 * delivered {@code share.delivery.count.limit} times (each earlier holder lost it) is rejected with reason
 * {@code DELIVERY_LIMIT}. Graceful shutdown releases what this worker holds ({@code RELEASE}) so another worker takes
 * it at once. docs/worker.md, "Share groups".
 */
final class ShareSession implements Session, Redelivery {

    private static final Logger log = LoggerFactory.getLogger(ShareSession.class);

    /** One run slot: a share consumer and the one work order it holds, if any. */
    private static final class Lane {

        final int index;
        final KafkaShareConsumer<byte[], byte[]> consumer;
        /** The work order this lane holds the lock of, or null. */
        @Nullable ConsumerRecord<byte[], byte[]> held;
        /** Whether {@link #held} is in the consumer's current fetch, so it can be acknowledged now. */
        boolean inFetch;
        Instant renewAt = Instant.MAX;
        /** When to hand the held work order to the intake again (a retry), or null. */
        @Nullable Instant retryAt;
        /** The acknowledgement to give the held work order as soon as it is in the fetch, or null. */
        @Nullable AcknowledgeType settle;
        /** The broker refused an acknowledgement of the held work order: its lock is gone. */
        boolean lockLost;

        Lane(int index, KafkaShareConsumer<byte[], byte[]> consumer) {
            this.index = index;
            this.consumer = consumer;
        }

        boolean holds(TopicPartition partition, long offset) {
            return held != null && held.partition() == partition.partition() && held.topic().equals(partition.topic())
                    && held.offset() == offset;
        }
    }

    private final PickupLoop loop;
    private final WorkerProperties properties;
    private final PickupSettings settings;
    private final RunScheduler scheduler;
    private final List<Lane> lanes = new ArrayList<>();
    private final KafkaProducer<String, Object> producer;
    private final KafkaAvroDeserializer deserializer;
    private final Committer committer;
    private final WorkOrderIntake intake;
    private final RunEnds ends;
    private final WorkOrderEnds workOrderEnds;
    private final Duration renewEvery;

    ShareSession(PickupLoop loop) {
        this.loop = loop;
        this.properties = loop.properties();
        this.settings = properties.pickup();
        this.scheduler = loop.scheduler();
        try (Admin admin = loop.clients().admin()) {
            ShareGroups.configure(admin, settings);
        }
        this.producer = loop.clients().producer();
        try {
            for (int i = 0; i < settings.maxConcurrentRuns(); i++) {
                Lane lane = new Lane(i, loop.clients().shareConsumer(i));
                lane.consumer.setAcknowledgementCommitCallback((offsets, e) -> refused(lane, offsets, e));
                lanes.add(lane);
            }
        } catch (RuntimeException e) {
            lanes.forEach(l -> l.consumer.close(Duration.ZERO));
            producer.close(Duration.ZERO);
            throw e;
        }
        deserializer = loop.clients().workOrderDeserializer();
        committer = new Committer(producer, Committer.Offsets.NONE, properties, loop.topics(), loop.events(),
                loop.clock(), loop.metrics());
        workOrderEnds = new WorkOrderEnds(loop.clients(), loop.topics().runs(), loop.clock());
        intake = new WorkOrderIntake(loop, deserializer, committer, this::endedBefore);
        ends = new RunEnds(loop, committer, this);
        renewEvery = settings.share().lockDuration().dividedBy(3);
    }

    @Override
    public void run() {
        producer.initTransactions();
        if (!loop.canceledIssues().awaitCaughtUp(settings.readBackTimeout())) {
            log.warn("Worker {}: canceled Issues not read within {}; taking work orders anyway",
                    properties.workerId(), settings.readBackTimeout());
        }
        lanes.forEach(lane -> lane.consumer.subscribe(List.of(loop.topics().workOrders())));
        log.info("Worker {}: taking work orders from {} in share group {} ({} lanes, lock {}, delivery limit {})",
                properties.workerId(), loop.topics().workOrders(), settings.shareGroupId(), lanes.size(),
                settings.share().lockDuration(), settings.share().deliveryCountLimit());
        Instant drainDeadline = null;
        while (!loop.halted()) {
            if (loop.stopRequested()) {
                if (drainDeadline == null) {
                    drainDeadline = loop.clock().instant().plus(properties.shutdownGrace());
                    log.info("Worker {}: shutting down; releasing waiting work orders, waiting up to {} for {}"
                            + " running run(s)", properties.workerId(), properties.shutdownGrace(), scheduler.size());
                }
                flush();
                if (scheduler.isEmpty() && !committer.pending() && lanes.stream().allMatch(l -> l.held == null
                        || !l.inFetch && l.settle == null)) {
                    return;
                }
                if (!loop.clock().instant().isBefore(drainDeadline)) {
                    abandonAll();
                    return;
                }
            }
            boolean took = pass();
            if (loop.halted()) {
                return;
            }
            scheduler.stopCanceled();
            Instant now = loop.clock().instant();
            committer.heartbeat(scheduler.dueHeartbeats(now), now);
            for (RunInFlight run : scheduler.removeEnded()) {
                Lane lane = laneOf(run.attempt);
                if (lane != null && lane.lockLost) {
                    // Another worker may have this work order by now: this attempt must not become its end.
                    committer.recordFailed(List.of(run.attempt), FailureCategory.RUNTIME, a -> "Worker "
                            + properties.workerId() + " lost the acquisition lock of work order at " + a.position()
                            + " while run " + a.runId() + " ran; the work order is another attempt's");
                    loop.folders().remove(run.attempt.runId());
                    lane.held = null;
                    continue;
                }
                ends.end(run, true);
            }
            Instant since = committer.pendingSince();
            if (since != null && !loop.clock().instant().isBefore(since.plus(settings.commitInterval()))) {
                flush();
            }
            if (!took) {
                sleep(idleWait());
            }
        }
    }

    /** One turn of every lane; whether any took a record. */
    private boolean pass() {
        boolean took = false;
        Instant now = loop.clock().instant();
        for (Lane lane : lanes) {
            if (lane.held != null && lane.inFetch) {
                act(lane, now);
            }
            boolean free = lane.held == null;
            boolean renewing = lane.held != null && !lane.inFetch;
            if (free && !canTake() || !free && !renewing) {
                continue;
            }
            for (ConsumerRecord<byte[], byte[]> record : lane.consumer.poll(Duration.ZERO)) {
                took = true;
                if (lane.held != null && lane.holds(partitionOf(record), record.offset())) {
                    lane.held = record; // renewed: back in the fetch
                    lane.inFetch = true;
                    act(lane, loop.clock().instant());
                } else if (lane.held == null && canTake()) {
                    take(lane, record);
                } else {
                    lane.consumer.acknowledge(record, AcknowledgeType.RELEASE);
                }
            }
        }
        return took;
    }

    /** What a lane does with the work order it holds, now that it is in the fetch. */
    private void act(Lane lane, Instant now) {
        ConsumerRecord<byte[], byte[]> record = lane.held;
        if (lane.settle != null) {
            lane.consumer.acknowledge(record, lane.settle);
            lane.consumer.commitAsync();
            lane.held = null;
            lane.settle = null;
            lane.inFetch = false;
            return;
        }
        if (loop.stopRequested() && lane.retryAt != null) {
            release(lane, "the worker is shutting down");
            return;
        }
        if (lane.retryAt != null && !now.isBefore(lane.retryAt)) {
            lane.retryAt = null;
            handle(lane, record);
            if (lane.held == null || lane.settle != null || lane.retryAt != null) {
                if (lane.settle != null) {
                    act(lane, now);
                }
                return;
            }
        }
        if (!now.isBefore(lane.renewAt)) {
            lane.consumer.acknowledge(record, AcknowledgeType.RENEW);
            lane.consumer.commitAsync();
            lane.inFetch = false;
            lane.renewAt = now.plus(renewEvery);
        }
    }

    private void take(Lane lane, ConsumerRecord<byte[], byte[]> record) {
        lane.held = record;
        lane.inFetch = true;
        lane.lockLost = false;
        // The lock started when the broker acquired the record, which may be well before this poll returned it:
        // renewed at the first chance, it then runs from now.
        lane.renewAt = loop.clock().instant();
        int deliveries = record.deliveryCount().orElse((short) 1);
        if (deliveries >= settings.share().deliveryCountLimit()) {
            String message = "Work order at " + KafkaUtils.format(record) + " was delivered " + deliveries
                    + " times (share.delivery.count.limit " + settings.share().deliveryCountLimit() + "): each earlier"
                    + " worker lost it (crashed, or its run was abandoned); it is set aside instead of being run again";
            lane.settle = committer.reject(record, "DELIVERY_LIMIT", message) ? AcknowledgeType.ACCEPT : null;
            if (lane.settle == null) {
                lane.retryAt = loop.clock().instant().plus(settings.redeliveryBackoff());
            }
            act(lane, loop.clock().instant());
            return;
        }
        handle(lane, record);
        if (lane.settle != null) {
            act(lane, loop.clock().instant());
        }
    }

    private void handle(Lane lane, ConsumerRecord<byte[], byte[]> record) {
        switch (intake.handle(record)) {
            case DONE -> lane.settle = AcknowledgeType.ACCEPT;
            case STARTED -> { }
            case RETRY_LATER -> lane.retryAt = loop.clock().instant().plus(settings.redeliveryBackoff());
        }
    }

    /** A redelivered work order whose end another worker committed (it died before its acknowledgement). */
    private @Nullable String endedBefore(ConsumerRecord<byte[], byte[]> record, WorkOrder order) {
        int deliveries = record.deliveryCount().orElse((short) 1);
        if (deliveries <= 1) {
            return null;
        }
        WorkOrderEnds.Found found = workOrderEnds.find(order.getEventId(), Instant.ofEpochMilli(record.timestamp()),
                settings.readBackTimeout());
        if (found.runId() != null) {
            return "run " + found.runId() + " already ended it (delivery " + deliveries + ")";
        }
        if (!found.complete()) {
            log.warn("Worker {}: could not read {} within {} to see whether work order {} (delivery {}) was ended;"
                    + " running it", properties.workerId(), loop.topics().runs(), settings.readBackTimeout(),
                    order.getEventId(), deliveries);
        }
        return null;
    }

    /** Commits the starts and ends that wait; the lanes of committed ends acknowledge their work orders. */
    private void flush() {
        Committer.Flushed flushed = committer.flush();
        for (Attempt attempt : flushed.starts()) {
            if (flushed.aborted() != null) {
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
        if (flushed.aborted() == null) {
            for (Committer.Ending ending : flushed.endings()) {
                Lane lane = laneOf(ending.attempt());
                if (lane != null) {
                    lane.settle = AcknowledgeType.ACCEPT;
                    if (lane.inFetch) {
                        act(lane, loop.clock().instant());
                    }
                }
            }
        }
    }

    /** An aborted start or finish: the lane keeps the work order (renewing its lock) and hands it over again later. */
    @Override
    public void again(TopicPartition partition, long offset) {
        for (Lane lane : lanes) {
            if (lane.holds(partition, offset)) {
                lane.retryAt = loop.clock().instant().plus(settings.redeliveryBackoff());
            }
        }
    }

    private void release(Lane lane, String why) {
        log.info("Worker {}: releasing work order at {} ({})", properties.workerId(),
                lane.held == null ? "?" : KafkaUtils.format(lane.held), why);
        lane.retryAt = null;
        lane.settle = AcknowledgeType.RELEASE;
        if (lane.inFetch) {
            act(lane, loop.clock().instant());
        }
    }

    /** Shutdown past its grace: running runs are recorded failed and their work orders released to other workers. */
    private void abandonAll() {
        for (RunInFlight run : scheduler.removeAll()) {
            if (run.result.isDone()) {
                ends.end(run, false);
            } else {
                ends.abandon(run, FailureCategory.RUNTIME, "worker shut down");
                Lane lane = laneOf(run.attempt);
                if (lane != null) {
                    release(lane, "its run was abandoned at shutdown");
                }
            }
        }
        flush();
        lanes.stream().filter(l -> l.held != null && l.inFetch).forEach(l -> act(l, loop.clock().instant()));
    }

    private @Nullable Lane laneOf(Attempt attempt) {
        for (Lane lane : lanes) {
            if (lane.holds(attempt.partition(), attempt.offset())) {
                return lane;
            }
        }
        return null;
    }

    /** The acknowledgement commit callback: a refused acknowledgement of a held work order means its lock is gone. */
    private void refused(Lane lane, Map<TopicIdPartition, Set<Long>> offsets, @Nullable Exception e) {
        if (e == null || lane.held == null) {
            return;
        }
        offsets.forEach((tip, held) -> {
            if (lane.held != null && lane.holds(tip.topicPartition(), lane.held.offset())
                    && held.contains(lane.held.offset())) {
                log.warn("Worker {}: lost the lock of work order at {}: {}", properties.workerId(),
                        KafkaUtils.format(lane.held), e.toString());
                lane.lockLost = true;
            }
        });
    }

    private boolean canTake() {
        return !loop.stopRequested() && scheduler.size() + committer.pendingStarts() < settings.maxConcurrentRuns()
                && !loop.freeSpace().paused();
    }

    private Duration idleWait() {
        Instant since = committer.pendingSince();
        Duration wait = settings.pollTimeout();
        if (since != null) {
            Duration left = Duration.between(loop.clock().instant(), since.plus(settings.commitInterval()));
            wait = left.isNegative() ? Duration.ZERO : left.compareTo(wait) < 0 ? left : wait;
        }
        return wait;
    }

    private static TopicPartition partitionOf(ConsumerRecord<?, ?> record) {
        return new TopicPartition(record.topic(), record.partition());
    }

    private static void sleep(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        boolean halted = loop.halted();
        for (Attempt attempt : committer.dropStarts(p -> true)) {
            if (!halted) {
                loop.folders().remove(attempt.runId());
            }
        }
        for (Committer.Ending ending : committer.dropEndings(p -> true)) {
            if (!halted) {
                loop.folders().quarantine(ending.attempt().runId(), "the worker's pick-up session ended before its"
                        + " RunFinished was committed");
            }
        }
        for (RunInFlight run : scheduler.removeAll()) {
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
        for (Lane lane : lanes) {
            try {
                // Whatever a lane still holds is released by the close: another worker gets it at once.
                lane.consumer.close(halted ? Duration.ZERO : Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                log.warn("Worker {}: closing share consumer {} failed: {}", properties.workerId(), lane.index,
                        e.toString());
            }
        }
        deserializer.close();
    }
}
