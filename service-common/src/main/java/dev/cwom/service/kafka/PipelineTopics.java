package dev.cwom.service.kafka;

import org.apache.kafka.common.config.TopicConfig;
import org.springframework.kafka.config.TopicBuilder;

/**
 * The one way a service declares a pipeline topic it creates when missing (through Spring's {@code KafkaAdmin}): its
 * partitions are the service's choice, its replication is the cluster's ({@link TopicReplicationProperties}).
 */
public final class PipelineTopics {

    private final TopicReplicationProperties replication;

    public PipelineTopics(TopicReplicationProperties replication) {
        this.replication = replication;
    }

    /** A topic of {@code partitions} partitions, replicated as configured; add compaction or other configs to it. */
    public TopicBuilder topic(String name, int partitions) {
        TopicBuilder builder = TopicBuilder.name(name).partitions(partitions);
        if (replication.replicationFactor() > 0) {
            builder = builder.replicas(replication.replicationFactor());
        }
        if (replication.minInsyncReplicas() > 0) {
            builder = builder.config(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                    Integer.toString(replication.minInsyncReplicas()));
        }
        return builder;
    }
}
