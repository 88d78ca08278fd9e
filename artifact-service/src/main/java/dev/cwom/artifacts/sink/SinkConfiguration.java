package dev.cwom.artifacts.sink;

import dev.cwom.artifacts.ArtifactApplication;
import dev.cwom.artifacts.ArtifactServiceProperties;
import dev.cwom.artifacts.blobs.BlobStore;
import dev.cwom.events.ArtifactCreated;
import dev.cwom.events.RunEvent;
import dev.cwom.events.Topics;
import dev.cwom.serde.AvroProducerConfig;
import dev.cwom.serde.AvroSerdeConfig;
import dev.cwom.serde.KafkaAvroDeserializer;
import dev.cwom.service.kafka.ConsumerErrorHandlers;
import dev.cwom.service.kafka.ConsumerFailures;
import dev.cwom.service.kafka.KafkaClientMeters;
import dev.cwom.service.kafka.PipelineTopics;
import dev.cwom.service.kafka.RejectedRecordPublisher;
import dev.cwom.service.kafka.RejectionMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import dev.cwom.service.tracing.TraceHeaders;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Wires the sink: a batch listener container on {@code cwom.runs.v1} and {@code cwom.artifacts.v1} (raw bytes,
 * {@code read_committed}, offsets committed after each batch's database commit) with a {@code DefaultErrorHandler}
 * whose back-off depends on the failure's type and whose recoverer publishes {@code RecordRejected}s.
 *
 * <p>Why spring-kafka's handler and not an own poll loop: it already pauses correctly between retries without
 * leaving the group, commits the offsets before a failed record, and seeks back; the services add only the shared
 * {@link ConsumerFailures} (how long to retry what) and {@link RejectedRecordPublisher} (where the rest goes).
 */
@Configuration(proxyBeanMethods = false)
class SinkConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    SinkWriter sinkWriter(JdbcTemplate jdbc) {
        return new SinkWriter(jdbc);
    }

    @Bean
    ArtifactVerifier artifactVerifier(BlobStore store, ArtifactServiceProperties properties) {
        return new ArtifactVerifier(store, properties.blobs().publicBaseUrl(), properties.sink().verifyMaxSize());
    }

    /** Publishes RecordRejected (sink) and RunFinished (reaper): byte keys, Avro values, acks from all replicas. */
    @Bean
    KafkaTemplate<byte[], Object> cwomEventTemplate(KafkaProperties kafka, MeterRegistry registry) {
        return new KafkaTemplate<>(new KafkaClientMeters(registry).meter(new DefaultKafkaProducerFactory<>(
                AvroProducerConfig.events(kafka.buildProducerProperties(), ByteArraySerializer.class,
                        ArtifactApplication.CLOUD_EVENTS_SOURCE))));
    }

    @Bean
    NewTopic runsTopic(ArtifactServiceProperties properties, PipelineTopics topics) {
        return topics.topic(Topics.RUNS, properties.sink().topicPartitions()).build();
    }

    @Bean
    NewTopic artifactsTopic(ArtifactServiceProperties properties, PipelineTopics topics) {
        return topics.topic(Topics.ARTIFACTS, properties.sink().topicPartitions()).build();
    }

    @Bean
    NewTopic sinkRejectedTopic(ArtifactServiceProperties properties, PipelineTopics topics) {
        return topics.topic(Topics.SINK_REJECTED, properties.sink().topicPartitions()).build();
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "cwom.artifact.sink.enabled", matchIfMissing = true)
    ConcurrentMessageListenerContainer<byte[], byte[]> sinkContainer(KafkaProperties kafka,
            ArtifactServiceProperties properties, ArtifactVerifier verifier, SinkWriter writer,
            PlatformTransactionManager transactionManager, KafkaTemplate<byte[], Object> cwomEventTemplate,
            Clock clock, TraceHeaders traces, MeterRegistry registry) {
        ArtifactServiceProperties.Sink sink = properties.sink();
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, sink.groupId());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, sink.maxBatch());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);

        Map<String, Object> avro = new HashMap<>(config);
        avro.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        // anything else is SCHEMA_MISMATCH, refused by name before its payload is decoded
        avro.put(KafkaAvroDeserializer.EXPECTED_RECORDS, List.of(RunEvent.class, ArtifactCreated.class));
        KafkaAvroDeserializer values = new KafkaAvroDeserializer();
        values.configure(avro, false);

        SinkBatchListener listener = new SinkBatchListener(new EventDecoder(values, verifier), writer,
                new TransactionTemplate(transactionManager), traces, new SinkMetrics(registry, clock));
        ContainerProperties container = new ContainerProperties(Topics.RUNS, Topics.ARTIFACTS);
        container.setAckMode(ContainerProperties.AckMode.BATCH);
        container.setSyncCommits(true);
        // Workers publish in transactions: without this the commit marker after a partition's last record stays
        // "uncommitted", the group never shows zero lag, and the reaper (which waits for it) would never act.
        container.setFixTxOffsets(true);
        container.setMessageListener(listener);
        ConcurrentMessageListenerContainer<byte[], byte[]> result = new ConcurrentMessageListenerContainer<>(
                new KafkaClientMeters(registry).meter(new DefaultKafkaConsumerFactory<>(config)), container);
        result.setConcurrency(sink.concurrency());
        result.setCommonErrorHandler(ConsumerErrorHandlers.create(new ConsumerErrorHandlers.Retries(
                sink.transientBackoffInitial(), sink.transientBackoffMax(), sink.dataRetryInterval(),
                sink.dataRetries()), new RejectedRecordPublisher(cwomEventTemplate, Topics.SINK_REJECTED,
                sink.rejectTimeout(), clock, new RejectionMetrics(registry))));
        return result;
    }
}
