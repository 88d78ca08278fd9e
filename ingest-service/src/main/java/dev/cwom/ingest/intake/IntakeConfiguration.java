package dev.cwom.ingest.intake;

import dev.cwom.events.Topics;
import dev.cwom.ingest.IngestProperties;
import dev.cwom.service.kafka.ConsumerErrorHandlers;
import dev.cwom.service.kafka.RejectedRecordPublisher;
import dev.cwom.service.kafka.TransactionalBatchListener;
import dev.cwom.service.tracing.TraceHeaders;
import dev.cwom.service.tracing.TracedWork;
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
 * Wires the intake: a batch listener container on {@code cwom.issues.submitted.v1} (keys as raw bytes, values through
 * {@code ErrorHandlingDeserializer} over {@link SubmissionDeserializer}) that stores each polled batch in one database
 * transaction ({@link TransactionalBatchListener}; the offsets are committed once per batch, after its database
 * commit), and a {@code DefaultErrorHandler} whose back-off depends on the failure's type: a transient failure is
 * retried forever without leaving the group, a bad record is cut out of its batch and rejected at once.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "cwom.ingest.intake.enabled", matchIfMissing = true)
class IntakeConfiguration {

    @Bean
    ConcurrentMessageListenerContainer<byte[], Submission> intakeContainer(KafkaProperties kafka,
            IngestProperties properties, SubmissionIntake intake, KafkaTemplate<byte[], Object> cwomEventTemplate,
            PlatformTransactionManager transactionManager, TraceHeaders traces) {
        IngestProperties.Intake settings = properties.intake();
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ErrorHandlingDeserializer.class);
        config.put(ErrorHandlingDeserializer.VALUE_DESERIALIZER_CLASS, SubmissionDeserializer.class);

        ContainerProperties container = new ContainerProperties(Topics.ISSUES_SUBMITTED);
        container.setAckMode(ContainerProperties.AckMode.BATCH);
        container.setSyncCommits(true);
        container.setMessageListener(new TransactionalBatchListener<Submission>(
                record -> {
                    // the submission's trace (its traceparent, or a new one) goes on to the Issue's outbox row
                    try (TracedWork stored = traces.continueFrom(record.headers(), "cwom.intake")) {
                        intake.store(record.value().event(), KafkaUtils.format(record));
                    }
                },
                record -> new IntakeRejection("CORRUPT_PAYLOAD", "The record at " + KafkaUtils.format(record)
                        + " has no value; publish an IssueSubmitted", Map.of()),
                new TransactionTemplate(transactionManager)));
        ConcurrentMessageListenerContainer<byte[], Submission> result = new ConcurrentMessageListenerContainer<>(
                new DefaultKafkaConsumerFactory<>(config), container);
        result.setConcurrency(settings.concurrency());
        // an unexpected failure is tried 3 times, transientBackoffInitial apart, before its record is rejected
        result.setCommonErrorHandler(ConsumerErrorHandlers.create(new ConsumerErrorHandlers.Retries(
                settings.transientBackoffInitial(), settings.transientBackoffMax(), settings.transientBackoffInitial(),
                3), new RejectedRecordPublisher(cwomEventTemplate, Topics.ISSUES_REJECTED, settings.rejectTimeout(), Clock.systemUTC())));
        return result;
    }
}
