package dev.cwom.ingest.intake;

import dev.cwom.events.RecordRejected;
import dev.cwom.events.RecordRejections;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;

/**
 * The recoverer of ingest's consumers (intake, run status): publishes a {@code RecordRejected} (through the shared
 * {@link RecordRejections} mapping) with the record's original key, value bytes and headers, its position, a reason
 * code from {@link IntakeFailures} and a message, and waits for the ack. When that fails it throws, so the record is
 * retried rather than skipped: a rejected record is never lost. Keys must be read as raw bytes and values either
 * through {@code ErrorHandlingDeserializer} (undecodable bytes) or as a {@link ReceivedValue} (decoded bytes).
 */
public final class RecordRejectedPublisher implements ConsumerRecordRecoverer {

    private static final Logger log = LoggerFactory.getLogger(RecordRejectedPublisher.class);

    /** Headers spring-kafka adds to carry a deserialization failure: ours, not the producer's. */
    private static final Set<String> SPRING_HEADERS = Set.of(SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER,
            SerializationUtils.KEY_DESERIALIZER_EXCEPTION_HEADER);

    private final KafkaTemplate<byte[], Object> template;
    private final Duration timeout;
    private final String topic;
    private final String expectedEvent;

    /**
     * @param topic         where the rejections go (a constant of {@code Topics})
     * @param expectedEvent the event the consumed topic carries, named in the message for a record without a value
     */
    public RecordRejectedPublisher(KafkaTemplate<byte[], Object> template, Duration timeout, String topic,
            String expectedEvent) {
        this.template = template;
        this.timeout = timeout;
        this.topic = topic;
        this.expectedEvent = expectedEvent;
    }

    @Override
    public void accept(ConsumerRecord<?, ?> record, @Nullable Exception failure) {
        Throwable reason = failure == null ? new IllegalStateException("no failure given") : failure;
        byte[] key = record.key() instanceof byte[] raw ? raw : null;
        byte[] value = originalValue(record, reason);
        boolean empty = record.value() == null && value == null;
        RecordRejected rejected = RecordRejections.of(record, key, value, SPRING_HEADERS,
                empty ? "CORRUPT_PAYLOAD" : IntakeFailures.reasonCode(reason),
                empty ? "The record has no value; publish " + expectedEvent + " events" : IntakeFailures.message(reason),
                IntakeFailures.details(reason), Instant.now());
        try {
            template.send(topic, key, rejected).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while rejecting " + IntakeListener.position(record), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("Could not publish the rejection of " + IntakeListener.position(record) + " to "
                    + topic + "; the record stays unprocessed and is tried again", e);
        }
        log.warn("Rejected {} to {} as {}: {}", IntakeListener.position(record), topic,
                rejected.getReasonCode(), rejected.getMessage());
    }

    private static byte @Nullable [] originalValue(ConsumerRecord<?, ?> record, Throwable reason) {
        if (record.value() instanceof ReceivedValue received) {
            return received.raw();
        }
        DeserializationException undecodable = IntakeFailures.find(reason, DeserializationException.class);
        if (undecodable != null) {
            return undecodable.getData();
        }
        return null;
    }
}
