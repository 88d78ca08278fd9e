package dev.cwom.worker.runs;

import dev.cwom.model.FailureCategory;
import dev.cwom.worker.WorkerProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a rebalance does, on the poll thread inside {@code poll}. Assigned partitions have their handled work orders
 * read back before anything of them is fetched. Revoked partitions are still this member's during the callback:
 * what waits for the committer is committed, a run that ends within the revocation grace is committed with its
 * offset, one that does not is abandoned (recorded failed without the offset, so the new owner runs it again). Lost
 * partitions are already someone else's: nothing of them can be committed, their runs are abandoned.
 */
final class PartitionChanges implements ConsumerRebalanceListener {

    private static final Logger log = LoggerFactory.getLogger(PartitionChanges.class);

    private final PickupLoop loop;
    private final WorkerProperties properties;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final WorkOrderReadBack readBack;
    private final PickupSession session;
    /** Assigned partitions whose read-back is incomplete, with when to try again: nothing of them is taken. */
    private final Map<TopicPartition, Instant> unread = new HashMap<>();

    PartitionChanges(PickupLoop loop, KafkaConsumer<byte[], byte[]> consumer, WorkOrderReadBack readBack,
            PickupSession session) {
        this.loop = loop;
        this.properties = loop.properties();
        this.consumer = consumer;
        this.readBack = readBack;
        this.session = session;
    }

    /** Reads back the new partitions' handled work orders, so that duplicates of them are skipped here too. */
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        loop.assignment(consumer.assignment());
        if (!partitions.isEmpty()) {
            log.info("Worker {}: assigned {}", properties.workerId(), partitions);
            rememberHandled(partitions);
        }
    }

    /**
     * Remembers the work orders at the last {@code recent-work-orders} offsets before each partition's committed
     * offset: the offset is committed in the same transaction as each work order's end, so all of them were handled,
     * by whichever worker owned the partition. The consumer's own position is that offset (asking for it fetches the
     * committed offset, as the first fetch would), so consumption goes on exactly there. Each try is bounded by
     * {@code read-back-timeout}; a partition whose window could not be read whole (the broker slow or away, a work
     * order undecodable while the registry is unreachable) is paused and tried again after
     * {@code redelivery-backoff} ({@link #readBackAgain}). Taking its work orders without knowing what was handled
     * would run a duplicate the relay published (a crash between the broker's ack and the outbox commit) a second
     * time: two {@code done} runs of one work order.
     */
    private void rememberHandled(Collection<TopicPartition> partitions) {
        RecentWorkOrders recent = loop.recent();
        if (recent.capacity() == 0 || partitions.isEmpty()) {
            return;
        }
        Instant deadline = loop.clock().instant().plus(properties.pickup().readBackTimeout());
        Instant retryAt = deadline.plus(properties.pickup().redeliveryBackoff());
        try {
            Map<TopicPartition, Long> committed = new HashMap<>();
            for (TopicPartition partition : partitions) {
                Duration left = Duration.between(loop.clock().instant(), deadline);
                committed.put(partition, consumer.position(partition, left.isNegative() ? Duration.ZERO : left));
            }
            int read = 0;
            for (Map.Entry<TopicPartition, WorkOrderReadBack.Window> window
                    : readBack.read(committed, deadline).entrySet()) {
                recent.handledBefore(window.getKey(), window.getValue().committed(), window.getValue().handled());
                read += window.getValue().handled().size();
                if (window.getValue().complete()) {
                    unread.remove(window.getKey());
                } else {
                    unread.put(window.getKey(), retryAt);
                }
            }
            log.info("Worker {}: read back {} handled work order(s) from before the committed offsets {}",
                    properties.workerId(), read, committed);
        } catch (KafkaException e) {
            log.warn("Worker {}: cannot read back the handled work orders of {} ({})", properties.workerId(),
                    partitions, e.toString());
            partitions.forEach(partition -> unread.put(partition, retryAt));
        }
        Set<TopicPartition> held = new HashSet<>(partitions);
        held.retainAll(unread.keySet());
        if (!held.isEmpty()) {
            // Paused here, inside poll, so that this very poll returns nothing of them.
            consumer.pause(held);
            log.warn("Worker {}: holding {} until their handled work orders are read back; trying again in {}",
                    properties.workerId(), held, properties.pickup().redeliveryBackoff());
        }
    }

    /** Reads back again the held partitions whose time has come; called by the poll loop between polls. */
    void readBackAgain() {
        Instant now = loop.clock().instant();
        List<TopicPartition> due = unread.entrySet().stream().filter(e -> !now.isBefore(e.getValue()))
                .map(Map.Entry::getKey).toList();
        if (!due.isEmpty()) {
            rememberHandled(due);
        }
    }

    /** Whether {@code partition} is held because its handled work orders are not all known yet. */
    boolean unread(TopicPartition partition) {
        return unread.containsKey(partition);
    }

    /**
     * While the partitions are still ours: what waits for the committer is committed (starts of the revoked
     * partitions are dropped first: nothing of them ran), a run that ends within the revocation grace is committed
     * here, with its offset; one that does not is abandoned.
     */
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        Instant deadline = loop.clock().instant().plus(properties.pickup().revocationGrace());
        loop.revoking(partitions.stream().anyMatch(loop.scheduler()::busy));
        try {
            for (Attempt attempt : session.committer().dropStarts(partitions::contains)) {
                loop.folders().remove(attempt.runId());
            }
            session.flush();
            revoke(partitions, deadline);
            session.flush();
        } finally {
            loop.revoking(false);
        }
        if (!partitions.isEmpty()) {
            log.info("Worker {}: revoked {}", properties.workerId(), partitions);
        }
        // Its next owner reads back what was handled; this instance reads it again if it gets it back.
        loop.recent().forget(partitions);
        unread.keySet().removeAll(partitions);
        session.forget(partitions);
        loop.assignment(without(loop.assignment(), partitions));
    }

    private void revoke(Collection<TopicPartition> partitions, Instant deadline) {
        for (TopicPartition partition : partitions) {
            RunInFlight run = loop.scheduler().remove(partition);
            if (run == null) {
                continue;
            }
            try {
                long waitMillis = Math.max(0, Duration.between(loop.clock().instant(), deadline).toMillis());
                run.result.get(waitMillis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                session.ends().abandon(run, FailureCategory.RUNTIME, "Partition " + partition + " was revoked from"
                        + " worker " + properties.workerId() + " while the run was in flight; the work order runs"
                        + " again on the partition's new owner");
                continue;
            } catch (ExecutionException | CancellationException e) {
                // RunEnds reports it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                session.ends().abandon(run, FailureCategory.RUNTIME, "worker interrupted during a rebalance");
                continue;
            }
            session.ends().end(run, false);
        }
    }

    /** The partitions are already someone else's: nothing can be committed, the runs are abandoned. */
    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        String why = "Worker " + properties.workerId() + " lost partition %s (it was out of the group too long);"
                + " the work order runs again";
        for (Attempt attempt : session.committer().dropStarts(partitions::contains)) {
            loop.folders().remove(attempt.runId());
        }
        List<Committer.Ending> ended = session.committer().dropEndings(partitions::contains);
        for (Committer.Ending ending : ended) {
            loop.folders().quarantine(ending.attempt().runId(), why.formatted(ending.attempt().partition()));
        }
        session.committer().recordFailed(ended.stream().map(Committer.Ending::attempt).toList(),
                FailureCategory.RUNTIME, a -> why.formatted(a.partition()));
        for (TopicPartition partition : partitions) {
            RunInFlight run = loop.scheduler().remove(partition);
            if (run != null) {
                session.ends().abandon(run, FailureCategory.RUNTIME, why.formatted(partition));
            }
        }
        session.forget(partitions);
        log.warn("Worker {}: lost {}", properties.workerId(), partitions);
        loop.recent().forget(partitions);
        unread.keySet().removeAll(partitions);
        loop.assignment(without(loop.assignment(), partitions));
    }

    private static Set<TopicPartition> without(Set<TopicPartition> from, Collection<TopicPartition> gone) {
        Set<TopicPartition> left = new HashSet<>(from);
        left.removeAll(gone);
        return left;
    }
}
