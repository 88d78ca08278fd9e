package dev.cwom.worker.runs;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Which run ended a work order, read from {@code cwom.runs.v1} itself: the {@code RunFinished} that a worker commits
 * as a work order's end (the one that carries the work order's offset in a consumer group) is marked with the header
 * {@value #HEADER} = the work order's {@code event_id}. A {@code RunFinished} recorded for an attempt whose end was
 * not committed (an aborted finish, a shutdown past its grace, the reaper's) has no such header: its work order is
 * still to be done.
 *
 * <p>Why a header and a search, not a store: the worker has no database, and a share group (KIP-932) has no
 * transactions, so a work order acknowledged after its end was committed is delivered again when the worker dies in
 * between. The end was written after the work order, so a short-lived read_committed consumer without a group reads
 * the runs topic from the work order's timestamp (less {@link #CLOCK_SKEW}) up to its end offsets as they are when
 * asked: whatever was committed before the question is seen.
 */
final class WorkOrderEnds {

    /** The header on a {@code RunFinished} that is a work order's end: the work order's {@code event_id}. */
    static final String HEADER = "cwom_ends_work_order";
    /** How far the writer's clock of the work order may be ahead of the worker's that wrote its end. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final Duration POLL = Duration.ofMillis(100);

    /**
     * What a search found.
     *
     * @param runId the run whose {@code RunFinished} ended the work order, or null
     * @param complete whether the runs topic was read to its end offsets: a null {@code runId} of an incomplete
     *     search means "not known", not "not ended"
     */
    record Found(@Nullable String runId, boolean complete) {
    }

    private final PickupClients clients;
    private final String runsTopic;
    private final Clock clock;

    WorkOrderEnds(PickupClients clients, String runsTopic, Clock clock) {
        this.clients = clients;
        this.runsTopic = runsTopic;
        this.clock = clock;
    }

    /** Marks {@code headers} of a {@code RunFinished} as the end of the work order {@code workOrderEventId}. */
    static void mark(Headers headers, String workOrderEventId) {
        headers.remove(HEADER);
        headers.add(HEADER, workOrderEventId.getBytes(StandardCharsets.UTF_8));
    }

    /** The work order a record ends, or null. */
    static @Nullable String endedBy(Headers headers) {
        Header header = headers.lastHeader(HEADER);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /**
     * Searches the runs topic for the end of work order {@code workOrderEventId}, written at {@code writtenAt}.
     *
     * @param timeout how long the search may take; what is not read by then makes the answer incomplete
     */
    Found find(String workOrderEventId, Instant writtenAt, Duration timeout) {
        Instant deadline = clock.instant().plus(timeout);
        try (KafkaConsumer<byte[], byte[]> consumer = clients.readBackConsumer()) {
            List<PartitionInfo> infos = consumer.partitionsFor(runsTopic, timeout);
            List<TopicPartition> partitions = infos.stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, left(deadline)));
            Map<TopicPartition, Long> since = new HashMap<>();
            partitions.forEach(p -> since.put(p, writtenAt.minus(CLOCK_SKEW).toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> from = consumer.offsetsForTimes(since, left(deadline));
            for (TopicPartition partition : partitions) {
                OffsetAndTimestamp start = from.get(partition);
                if (start == null || start.offset() >= end.get(partition)) {
                    end.remove(partition); // nothing written there since
                } else {
                    consumer.seek(partition, start.offset());
                }
            }
            consumer.pause(partitions.stream().filter(p -> !end.containsKey(p)).toList());
            while (!end.isEmpty()) {
                if (!clock.instant().isBefore(deadline)) {
                    return new Found(null, false);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (workOrderEventId.equals(endedBy(record.headers()))) {
                        return new Found(record.key() == null ? null
                                : new String(record.key(), StandardCharsets.UTF_8), true);
                    }
                }
                // A read_committed position may stop short of the end offset at transaction markers: compare positions.
                end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
                consumer.pause(partitions.stream().filter(p -> !end.containsKey(p)).toList());
            }
            return new Found(null, true);
        } catch (KafkaException e) {
            return new Found(null, false);
        }
    }

    private Duration left(Instant deadline) {
        Duration left = Duration.between(clock.instant(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
