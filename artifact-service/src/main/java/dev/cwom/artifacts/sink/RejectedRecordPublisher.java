package dev.cwom.artifacts.sink;

import dev.cwom.events.RecordRejected;
import dev.cwom.events.RecordRejections;
import dev.cwom.events.Topics;
import java.time.Clock;
import java.time.Duration;
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

/**
 * The recoverer of the sink's error handler: publishes a {@code RecordRejected} with the record's original key, value
 * and headers, its position and the reason, and waits for the broker's ack. If that fails it throws, so the record
 * is not skipped but retried: a rejected record is never lost.
 */
final class RejectedRecordPublisher implements ConsumerRecordRecoverer {

    private static final Logger log = LoggerFactory.getLogger(RejectedRecordPublisher.class);

    private final KafkaTemplate<byte[], Object> template;
    private final Duration timeout;
    private final Clock clock;

    RejectedRecordPublisher(KafkaTemplate<byte[], Object> template, Duration timeout, Clock clock) {
        this.template = template;
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public void accept(ConsumerRecord<?, ?> record, @Nullable Exception failure) {
        Throwable reason = failure == null ? new IllegalStateException("no failure given") : failure;
        byte[] key = bytes(record.key());
        RecordRejected rejected = RecordRejections.of(record, key, bytes(record.value()), Set.of(),
                SinkFailures.reasonCode(reason), SinkFailures.message(reason), SinkFailures.details(reason),
                clock.instant());
        try {
            template.send(Topics.SINK_REJECTED, key, rejected).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while rejecting " + SinkBatchListener.position(record), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("Could not publish the rejection of " + SinkBatchListener.position(record)
                    + " to " + Topics.SINK_REJECTED + "; the record stays unprocessed and is tried again", e);
        }
        log.warn("Rejected {} to {} as {}: {}", SinkBatchListener.position(record), Topics.SINK_REJECTED,
                rejected.getReasonCode(), rejected.getMessage());
    }

    private static byte @Nullable [] bytes(@Nullable Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof byte[] raw) {
            return raw;
        }
        // The sink consumes raw bytes; anything else means the container was configured differently.
        throw new IllegalStateException("Expected the raw bytes of the record, got a " + value.getClass().getName()
                + "; configure the sink consumer with ByteArrayDeserializer for keys and values");
    }
}
