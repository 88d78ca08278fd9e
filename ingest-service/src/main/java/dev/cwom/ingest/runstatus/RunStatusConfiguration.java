package dev.cwom.ingest.runstatus;

import dev.cwom.events.RunEvent;
import dev.cwom.events.Topics;
import dev.cwom.ingest.IngestProperties;
import dev.cwom.ingest.intake.IntakeFailures;
import dev.cwom.serde.AvroSerdeConfig;
import dev.cwom.serde.KafkaAvroDeserializer;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Wires the run-status follower: a record listener on {@code cwom.runs.v1} ({@code read_committed}, since workers
 * publish in transactions). A transient failure is retried forever; an event that cannot be read is skipped with a
 * warning, because the sink, which consumes the same topic, is the one that rejects bad run events.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "cwom.ingest.run-status.enabled", matchIfMissing = true)
class RunStatusConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RunStatusConfiguration.class);

    @Bean
    ConcurrentMessageListenerContainer<String, RunEvent> runStatusContainer(KafkaProperties kafka,
            IngestProperties properties, IssueRunStatus status) {
        IngestProperties.RunStatus settings = properties.runStatus();
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ErrorHandlingDeserializer.class);
        config.put(ErrorHandlingDeserializer.VALUE_DESERIALIZER_CLASS, KafkaAvroDeserializer.class);
        config.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);

        ContainerProperties container = new ContainerProperties(Topics.RUNS);
        container.setAckMode(ContainerProperties.AckMode.RECORD);
        container.setMessageListener((MessageListener<String, Object>) record -> {
            if (record.value() instanceof RunEvent event) {
                status.apply(event);
            } else {
                log.warn("Skipped {}-{}@{}: not a RunEvent", record.topic(), record.partition(), record.offset());
            }
        });
        ConcurrentMessageListenerContainer<String, RunEvent> result = new ConcurrentMessageListenerContainer<>(
                new DefaultKafkaConsumerFactory<>(config), container);
        DefaultErrorHandler handler = new DefaultErrorHandler((record, failure) -> log.warn(
                "Skipped run event {}-{}@{} that cannot be applied: {}", record.topic(), record.partition(),
                record.offset(), failure.toString()), backOff(settings));
        handler.removeClassification(DeserializationException.class);
        handler.setBackOffFunction((record, failure) ->
                IntakeFailures.handling(failure) == IntakeFailures.Handling.RETRY_FOREVER ? backOff(settings)
                        : new FixedBackOff(0, 0));
        handler.setResetStateOnExceptionChange(true);
        handler.setCommitRecovered(true);
        result.setCommonErrorHandler(handler);
        return result;
    }

    private static ExponentialBackOff backOff(IngestProperties.RunStatus settings) {
        ExponentialBackOff backOff = new ExponentialBackOff(settings.transientBackoffInitial().toMillis(), 2.0);
        backOff.setMaxInterval(settings.transientBackoffMax().toMillis());
        return backOff;
    }
}
