package dev.cwom.service.kafka;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** {@link PipelineTopics} for every service, from {@code cwom.kafka.topics.*}. */
@AutoConfiguration
@EnableConfigurationProperties(TopicReplicationProperties.class)
public class PipelineTopicsAutoConfiguration {

    @Bean
    PipelineTopics pipelineTopics(TopicReplicationProperties replication) {
        return new PipelineTopics(replication);
    }
}
