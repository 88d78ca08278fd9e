package dev.cwom.service.kafka;

import java.time.Duration;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

/** The error handler of every consumer container of the services, with back-off by {@link FailureCategory}. */
public final class ConsumerErrorHandlers {

    /**
     * How long a consumer waits: a transient failure is retried forever with exponential back-off
     * ({@code transientInitial} doubling up to {@code transientMax}); one that may be a race {@code boundedRetries}
     * times, {@code boundedInterval} apart, before its record is rejected.
     */
    public record Retries(Duration transientInitial, Duration transientMax, Duration boundedInterval,
            int boundedRetries) {
    }

    private ConsumerErrorHandlers() {
    }

    /**
     * A {@link DefaultErrorHandler} (record or batch listeners) that retries or hands a record to {@code recoverer}
     * by the failure's category, and commits the offset of a recovered record, so a rejection is published once.
     */
    public static DefaultErrorHandler create(Retries retries, ConsumerRecordRecoverer recoverer) {
        DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, transientBackOff(retries));
        // a registry outage surfaces as a DeserializationException too; the back-off function decides by cause
        handler.removeClassification(DeserializationException.class);
        handler.setBackOffFunction((record, failure) -> switch (ConsumerFailures.category(failure).handling()) {
            case RETRY_FOREVER -> transientBackOff(retries);
            case RETRY_THEN_REJECT -> new FixedBackOff(retries.boundedInterval().toMillis(), retries.boundedRetries());
            case REJECT -> new FixedBackOff(0, 0);
        });
        // a record that was waiting out an outage and then turns out to be unstorable starts its bounded count anew
        handler.setResetStateOnExceptionChange(true);
        handler.setCommitRecovered(true);
        // every retry of an outage is expected and logged by the handler: WARN, not ERROR, with the cause
        handler.setLogLevel(KafkaException.Level.WARN);
        return handler;
    }

    private static BackOff transientBackOff(Retries retries) {
        ExponentialBackOff backOff = new ExponentialBackOff(retries.transientInitial().toMillis(), 2.0);
        backOff.setMaxInterval(retries.transientMax().toMillis());
        return backOff;
    }
}
