package dev.cwom.artifacts.reaper;

import dev.cwom.events.Topics;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.KafkaException;

/**
 * How far the sink's consumer group has got on {@code cwom.runs.v1}, from the broker's point of view (so it covers
 * every sink instance, not only this one). The reaper takes {@link #runEventsEnd()} when its round begins and waits
 * until {@link #behind(Map)} is zero: from then on every heartbeat committed to the topic before the round began is
 * in the database, because the sink commits its offsets only after its database transaction.
 */
public class SinkProgress implements AutoCloseable {

    private final Admin admin;
    private final String groupId;
    private final Duration requestTimeout;

    /**
     * @param admin a Kafka admin client; closed with this object
     * @param groupId the sink's consumer group ({@code cwom.artifact.sink.group-id})
     * @param requestTimeout how long one admin request may take
     */
    public SinkProgress(Admin admin, String groupId, Duration requestTimeout) {
        this.admin = admin;
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
