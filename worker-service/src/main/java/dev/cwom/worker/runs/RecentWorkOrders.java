package dev.cwom.worker.runs;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * The event ids of the last work orders handled on each partition this instance owns, at most {@code capacity} per
 * partition, oldest forgotten first. The outbox relay publishes at least once, so the same work order (same
 * {@code event_id}) can arrive again at a later offset, always on the same partition (same key); a remembered one is
 * skipped.
 *
 * <p>Two sources fill it: the runs this instance finishes, and, when a partition is assigned, the work orders read
 * back from just before the group's committed offset ({@link WorkOrderReadBack}), all of which were handled, by
 * whichever worker owned the partition then. So a duplicate is recognised after a restart or a rebalance too, as
 * long as fewer than {@code capacity} offsets of its partition lie between it and the original. A partition taken
 * away is forgotten: its next owner reads it back.
 */
final class RecentWorkOrders {

    /** How a remembered work order was handled: by {@code runId}, or before the {@code committed} offset. */
    private record Handled(@Nullable String runId, long offset, long committed) {

        String why(TopicPartition partition) {
            return runId != null ? "run " + runId + " already finished it"
                    : "it was handled at offset " + offset + ", before the committed offset " + committed
                            + " of partition " + partition + " when this worker took the partition";
        }
    }

    private final int capacity;
    private final Map<TopicPartition, Map<String, Handled>> byPartition = new HashMap<>();

    RecentWorkOrders(int capacity) {
        this.capacity = capacity;
    }

    /** How many work orders are remembered per partition, and so how far back a newly assigned one is read. */
    int capacity() {
        return capacity;
    }

    /** Remembers that the work order {@code eventId} of {@code partition} was finished by run {@code runId}. */
    void finished(TopicPartition partition, String eventId, String runId) {
        remember(partition, eventId, new Handled(runId, -1, -1));
    }

    /**
     * Remembers the work orders read back from {@code partition}, oldest first, all before its {@code committed}
     * offset.
     */
    void handledBefore(TopicPartition partition, long committed, List<WorkOrderReadBack.Handled> handled) {
        for (WorkOrderReadBack.Handled order : handled) {
            remember(partition, order.eventId(), new Handled(null, order.offset(), committed));
        }
    }

    /** Why the work order {@code eventId} of {@code partition} needs no run, or null when it is not remembered. */
    @Nullable String handled(TopicPartition partition, String eventId) {
        Map<String, Handled> handled = byPartition.get(partition);
        Handled how = handled == null ? null : handled.get(eventId);
        return how == null ? null : how.why(partition);
    }

    /** Forgets partitions that are no longer this instance's. */
    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(byPartition::remove);
    }

    private void remember(TopicPartition partition, String eventId, Handled how) {
        if (capacity == 0) {
            return;
        }
        Map<String, Handled> handled = byPartition.computeIfAbsent(partition, p -> new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Handled> eldest) {
                return size() > capacity;
            }
        });
        // Re-inserted, so that a work order handled again counts as the newest.
        handled.remove(eventId);
        handled.put(eventId, how);
    }
}
