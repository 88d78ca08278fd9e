package dev.cwom.worker.runs;

import dev.cwom.events.WorkOrder;
import dev.cwom.serde.AvroSerdeException;
import dev.cwom.serde.KafkaAvroDeserializer;
import dev.cwom.serde.SerdeErrors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads back the last work orders before a partition's committed offset. The offset is committed in the same
 * transaction as each work order's end (its run finished, its rejection, or its skip as a duplicate), so every work
 * order below it was handled, whoever owned the partition then; the worker needs no database to know it.
 *
 * <p>A short-lived consumer without a group (read_committed, like the loop's) reads at most {@code window} offsets per
 * partition, up to the committed offset and no further, until a deadline. Only records that decode as a
 * {@link WorkOrder} give their event id: an undecodable one was rejected when it was handled. A window is complete
 * only when it was read up to the committed offset and every work order in it decoded; one that is not (the broker
 * slow or away, the schema registry unreachable) says so, and the caller holds its partition and reads it again
 * ({@link PartitionChanges}), because a duplicate of a work order it missed would run a second time.
 */
final class WorkOrderReadBack {

    private static final Logger log = LoggerFactory.getLogger(WorkOrderReadBack.class);
    private static final Duration POLL = Duration.ofMillis(100);

    /** A work order read back: its event id and where it was. */
    record Handled(String eventId, long offset) {
    }

    /**
     * What was read of one partition: the offsets {@code [from, committed)}, the work orders among them oldest first,
     * and whether the reading got to {@code committed} with every work order decoded.
     */
    record Window(long from, long committed, List<Handled> handled, boolean complete) {
    }

    private final PickupClients clients;
    private final KafkaAvroDeserializer deserializer;
    private final int window;
    private final Clock clock;
    private final String workerId;

    /**
     * @param deserializer decodes work orders; the caller's, not closed here
     * @param window how many offsets before the committed offset are read per partition
     */
    WorkOrderReadBack(PickupClients clients, KafkaAvroDeserializer deserializer, int window, Clock clock,
            String workerId) {
        this.clients = clients;
        this.deserializer = deserializer;
        this.window = window;
        this.clock = clock;
        this.workerId = workerId;
    }

    /**
     * Reads the window before each partition's {@code committed} offset, until {@code deadline}.
     *
     * @throws org.apache.kafka.common.KafkaException when the broker cannot be read at all
     */
    Map<TopicPartition, Window> read(Map<TopicPartition, Long> committed, Instant deadline) {
        Map<TopicPartition, Long> from = new HashMap<>();
        Map<TopicPartition, List<Handled>> handled = new HashMap<>();
        committed.forEach((partition, end) -> {
            from.put(partition, Math.max(0, end - window));
            handled.put(partition, new ArrayList<>());
        });
        Set<TopicPartition> open = new HashSet<>();
        committed.forEach((partition, end) -> {
            if (from.get(partition) < end) {
                open.add(partition);
            }
        });
        Set<TopicPartition> undecoded = new HashSet<>();
        if (!open.isEmpty()) {
            try (KafkaConsumer<byte[], byte[]> consumer = clients.readBackConsumer()) {
                consumer.assign(open);
                // Below the log start (retention) the consumer resets to it: auto.offset.reset=earliest.
                open.forEach(partition -> consumer.seek(partition, from.get(partition)));
                while (!open.isEmpty() && clock.instant().isBefore(deadline)) {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(left(deadline, POLL));
                    for (TopicPartition partition : records.partitions()) {
                        long end = committed.get(partition);
                        for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                            if (record.offset() >= end) {
                                break; // not handled yet: the loop reads it as new
                            }
                            try {
                                if (deserializer.deserialize(record.topic(), record.value())
                                        instanceof WorkOrder order) {
                                    handled.get(partition).add(new Handled(order.getEventId(), record.offset()));
                                }
                                // Anything else was rejected when it was handled: it gives no event id.
                            } catch (AvroSerdeException e) {
                                if (SerdeErrors.isRetryable(e)) {
                                    undecoded.add(partition);
                                }
                            }
                        }
                    }
                    closeReadPartitions(consumer, open, committed, deadline);
                }
            }
        }
        Map<TopicPartition, Window> windows = new HashMap<>();
        committed.forEach((partition, end) -> windows.put(partition, new Window(from.get(partition), end,
                List.copyOf(handled.get(partition)), !open.contains(partition) && !undecoded.contains(partition))));
        if (!open.isEmpty()) {
            log.warn("Worker {}: could not read back all handled work orders of {} in time", workerId, open);
        }
        if (!undecoded.isEmpty()) {
            log.warn("Worker {}: work orders read back from {} could not be decoded now (schema registry"
                    + " unreachable)", workerId, undecoded);
        }
        return windows;
    }

    /** Stops reading the partitions whose position reached the committed offset (past control records, too). */
    private void closeReadPartitions(KafkaConsumer<byte[], byte[]> consumer, Set<TopicPartition> open,
            Map<TopicPartition, Long> committed, Instant deadline) {
        for (Iterator<TopicPartition> it = open.iterator(); it.hasNext(); ) {
            TopicPartition partition = it.next();
            long position;
            try {
                position = consumer.position(partition, left(deadline, POLL));
            } catch (TimeoutException e) {
                continue; // not known yet (a reset still under way): the next poll finds out
            }
            if (position >= committed.get(partition)) {
                consumer.pause(List.of(partition));
                it.remove();
            }
        }
    }

    private Duration left(Instant deadline, Duration atMost) {
        Duration left = Duration.between(clock.instant(), deadline);
        return left.isNegative() ? Duration.ZERO : left.compareTo(atMost) < 0 ? left : atMost;
    }
}
