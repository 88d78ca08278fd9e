package dev.cwom.service.kafka;

import dev.cwom.events.RecordRejected;
import dev.cwom.events.RecordRejections;
import dev.cwom.service.tracing.TraceHeaders;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.support.KafkaUtils;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;

/**
 * The recoverer of the services' consumers: publishes a {@code RecordRejected} (through the shared
 * {@link RecordRejections} mapping) with the record's original key, value bytes and headers, its position, and the
 * reason code, message and details from {@link ConsumerFailures}, and waits for the broker's ack. When that fails it
 * throws, so the record is retried rather than skipped: a rejected record is never lost. Keys must be read as raw
 * bytes; values as raw bytes, through {@code ErrorHandlingDeserializer} (undecodable bytes) or as a
 * {@link ReceivedValue} (decoded, with their bytes).
 */
public final class RejectedRecordPublisher implements ConsumerRecordRecoverer {

    private static final Logger log = LoggerFactory.getLogger(RejectedRecordPublisher.class);

    /** Headers spring-kafka adds to carry a deserialization failure: ours, not the producer's. */
    private static final Set<String> SPRING_HEADERS = Set.of(SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER,
            SerializationUtils.KEY_DESERIALIZER_EXCEPTION_HEADER);

    private final KafkaTemplate<byte[], Object> template;
    private final String topic;
    private final Duration timeout;
    private final Clock clock;

    /** @param topic where the rejections go (a constant of {@code Topics}) */
    public RejectedRecordPublisher(KafkaTemplate<byte[], Object> template, String topic, Duration timeout,
            Clock clock) {
        this.template = template;
        this.topic = topic;
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public void accept(ConsumerRecord<?, ?> record, @Nullable Exception failure) {
        Throwable reason = failure == null ? new IllegalStateException("no failure given") : failure;
        byte[] key = record.key() instanceof byte[] raw ? raw : null;
        RecordRejected rejected = RecordRejections.of(record, key, originalValue(record, reason), SPRING_HEADERS,
                ConsumerFailures.reasonCode(reason), ConsumerFailures.message(reason),
                ConsumerFailures.details(reason), clock.instant());
        String position = KafkaUtils.format(record);
        try {
            ProducerRecord<byte[], Object> out = new ProducerRecord<>(topic, key, rejected);
            // the rejection belongs to the trace of the record it rejects
            TraceHeaders.copy(record.headers(), out.headers());
            template.send(out).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while rejecting " + position, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("Could not publish the rejection of " + position + " to " + topic
                    + "; the record stays unprocessed and is tried again", e);
        }
        log.warn("Rejected {} to {} as {} ({}): {}", position, topic, rejected.getReasonCode(),
                ConsumerFailures.category(reason), rejected.getMessage());
    }

    private static byte @Nullable [] originalValue(ConsumerRecord<?, ?> record, Throwable reason) {
        if (record.value() instanceof byte[] raw) {
            return raw;
        }
        if (record.value() instanceof ReceivedValue received) {
            return received.raw();
        }
        DeserializationException undecodable = ConsumerFailures.find(reason, DeserializationException.class);
        return undecodable != null ? undecodable.getData() : null;
    }
}
