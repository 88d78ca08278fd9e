package dev.cwom.ingest.runstatus;

import dev.cwom.events.Topics;
import dev.cwom.ingest.IngestProperties;
import dev.cwom.ingest.intake.IntakeRejection;
import dev.cwom.service.kafka.ConsumerErrorHandlers;
import dev.cwom.service.kafka.RejectedRecordPublisher;
import dev.cwom.service.kafka.TransactionalBatchListener;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.support.KafkaUtils;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Wires the run-status follower: a batch listener on {@code cwom.runs.v1} ({@code read_committed}, since workers
 * publish in transactions; keys as raw bytes, values through {@code ErrorHandlingDeserializer} over
 * {@link RunEventDeserializer}) that applies each polled batch in one database transaction
 * ({@link TransactionalBatchListener}; applying an event twice changes nothing, so a crash between the database commit
 * and the offset commit is harmless). Failures are handled like the intake's ({@link ConsumerErrorHandlers}): a transient one
 * (database or registry away) is retried forever, an event that cannot be applied (undecodable, not a RunEvent, an
 * unknown Issue) goes to {@code cwom.runs.rejected.v1} at once, and an unexpected failure after a few retries, as
 * {@code UNSTORABLE}. Nothing is dropped and nothing blocks the partition for good.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "cwom.ingest.run-status.enabled", matchIfMissing = true)
class RunStatusConfiguration {

    @Bean
    ConcurrentMessageListenerContainer<byte[], ReceivedRunEvent> runStatusContainer(KafkaProperties kafka,
            IngestProperties properties, IssueRunStatus status, KafkaTemplate<byte[], Object> cwomEventTemplate,
            PlatformTransactionManager transactionManager) {
        IngestProperties.RunStatus settings = properties.runStatus();
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ErrorHandlingDeserializer.class);
        config.put(ErrorHandlingDeserializer.VALUE_DESERIALIZER_CLASS, RunEventDeserializer.class);

        ContainerProperties container = new ContainerProperties(Topics.RUNS);
        container.setAckMode(ContainerProperties.AckMode.BATCH);
        container.setSyncCommits(true);
        container.setMessageListener(new TransactionalBatchListener<ReceivedRunEvent>(
                record -> status.apply(record.value().event()),
                record -> new IntakeRejection("CORRUPT_PAYLOAD", "The record at " + KafkaUtils.format(record)
                        + " has no value; publish RunEvent envelopes", Map.of()),
                new TransactionTemplate(transactionManager)));
        ConcurrentMessageListenerContainer<byte[], ReceivedRunEvent> result = new ConcurrentMessageListenerContainer<>(
                new DefaultKafkaConsumerFactory<>(config), container);
        // an unexpected failure is tried 3 times, transientBackoffInitial apart, before its record is rejected
        result.setCommonErrorHandler(ConsumerErrorHandlers.create(new ConsumerErrorHandlers.Retries(
                settings.transientBackoffInitial(), settings.transientBackoffMax(), settings.transientBackoffInitial(),
                3), new RejectedRecordPublisher(cwomEventTemplate, Topics.RUNS_REJECTED, settings.rejectTimeout(), Clock.systemUTC())));
        return result;
    }
}
