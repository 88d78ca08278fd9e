package dev.cwom.service.kafka;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the pipeline topics a service creates at start-up are replicated ({@code cwom.kafka.topics.*}), the same for
 * every service, so one setting gives the whole pipeline the cluster's shape: with three brokers
 * {@code replication-factor=3} and {@code min-insync-replicas=2} (what the local stack's {@code --brokers=3} and
 * docker-compose.yml pass). Topics that already exist are left as they are.
 *
 * @param replicationFactor replicas of each partition; -1 takes the broker's {@code default.replication.factor}
 * @param minInsyncReplicas the topic's {@code min.insync.replicas}, the replicas an {@code acks=all} write needs;
 *                          -1 takes the broker's default
 */
@ConfigurationProperties("cwom.kafka.topics")
public record TopicReplicationProperties(
        @DefaultValue("-1") int replicationFactor,
        @DefaultValue("-1") int minInsyncReplicas) {
}
