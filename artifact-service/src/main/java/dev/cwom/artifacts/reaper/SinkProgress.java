package dev.cwom.artifacts.reaper;

import dev.cwom.events.Topics;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.kafka.KafkaException;

/**
 * How far the sink's consumer group has got on {@code cwom.runs.v1}, from the broker's point of view (so it covers
 * every sink instance, not only this one). The reaper takes {@link #runEventsEnd()} when its round begins and waits
 * until {@link #behind(Map)} is zero: from then on every heartbeat committed to the topic before the round began is
 * in the database, because the sink commits its offsets only after its database transaction. What remains behind
 * after the wait is read ({@link #withRecords}): a gap of nothing but transaction markers or aborted records does not
 * count.
 */
public class SinkProgress implements AutoCloseable {

    private static final Duration PROBE_POLL = Duration.ofMillis(100);

    private final Admin admin;
    private final Map<String, Object> probeConfig;
    private final String groupId;
    private final Duration requestTimeout;

    /**
     * @param admin a Kafka admin client; closed with this object
     * @param consumerConfig connection settings for the consumer {@link #withRecords} reads gaps with (it joins no
     *     group and commits nothing)
     * @param groupId the sink's consumer group ({@code cwom.artifact.sink.group-id})
     * @param requestTimeout how long one broker request, or one read of the gaps, may take
     */
    public SinkProgress(Admin admin, Map<String, Object> consumerConfig, String groupId, Duration requestTimeout) {
        this.admin = admin;
        Map<String, Object> probe = new HashMap<>(consumerConfig);
        probe.remove(ConsumerConfig.GROUP_ID_CONFIG);
        probe.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        probe.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.probeConfig = Map.copyOf(probe);
        this.groupId = groupId;
        this.requestTimeout = requestTimeout;
    }

    /**
     * The end of every partition of {@code cwom.runs.v1} as a {@code read_committed} consumer sees it (the last
     * stable offset): every run event committed so far lies below it.
     */
    public Map<TopicPartition, Long> runEventsEnd() {
        int partitions = get(admin.describeTopics(List.of(Topics.RUNS)).allTopicNames(), "describe")
                .get(Topics.RUNS).partitions().size();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(Topics.RUNS, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> ends = new TreeMap<>(Comparator.comparingInt(TopicPartition::partition));
        get(admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all(), "list offsets of")
                .forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    /**
     * How many offsets below {@code ends} the sink group has not committed yet, per partition that is behind (empty
     * when the sink has applied everything below {@code ends}).
     */
    public Map<TopicPartition, Long> behind(Map<TopicPartition, Long> ends) {
        Map<TopicPartition, OffsetAndMetadata> committed = get(
                admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata(), "read the offsets of");
        Map<TopicPartition, Long> behind = new TreeMap<>(Comparator.comparingInt(TopicPartition::partition));
        ends.forEach((tp, end) -> {
            OffsetAndMetadata done = committed.get(tp);
            long position = done == null ? 0 : done.offset();
            if (position < end) {
                behind.put(tp, end - position);
            }
        });
        return behind;
    }

    /**
     * Of the partitions {@link #behind} reported, those whose gap holds records a {@code read_committed} consumer
     * sees (with how many); a gap of only transaction markers or aborted records is no backlog, however long. It
     * exists because the group's committed offset cannot pass an aborted transaction at a partition's tail until the
     * next record arrives there (KAFKA-10683), which in a quiet system could hold the reaper back for ever. Reads at
     * most up to {@code requestTimeout}; a partition not read to its end by then counts as behind.
     */
    public Map<TopicPartition, Long> withRecords(Map<TopicPartition, Long> behind, Map<TopicPartition, Long> ends) {
        if (behind.isEmpty()) {
            return behind;
        }
        Map<TopicPartition, Long> records = new TreeMap<>(Comparator.comparingInt(TopicPartition::partition));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(probeConfig, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(behind.keySet());
            behind.forEach((tp, lag) -> consumer.seek(tp, ends.get(tp) - lag));
            Set<TopicPartition> open = new HashSet<>(behind.keySet());
            long deadline = System.nanoTime() + requestTimeout.toNanos();
            while (!open.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(PROBE_POLL)) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() < ends.get(tp)) {
                        records.merge(tp, 1L, Long::sum);
                    }
                }
                open.removeIf(tp -> records.containsKey(tp) || consumer.position(tp) >= ends.get(tp));
            }
            open.forEach(tp -> records.putIfAbsent(tp, behind.get(tp)));
        }
        return records;
    }

    private <T> T get(KafkaFuture<T> future, String action) {
        try {
            return future.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while asking the broker how far sink group " + groupId + " got", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("Could not " + action + " " + Topics.RUNS + " / group " + groupId
                    + " to see whether the sink caught up; the reaper skips this round and asks again next period",
                    e);
        }
    }

    @Override
    public void close() {
        admin.close(requestTimeout);
    }
}
