package dev.cwom.ingest.intake;

import dev.cwom.serde.AvroSerdeException;
import dev.cwom.serde.SerdeErrors;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * How ingest's consumers (intake, run status) handle a failure, decided by the exception's type along its cause chain,
 * never by message: transient failures are retried forever, bad records rejected at once, anything else retried a few
 * times and then rejected as {@code UNSTORABLE}.
 */
public final class IntakeFailures {

    /** Tries of an unexpected failure before the record is rejected as UNSTORABLE. */
    static final int UNEXPECTED_FAILURE_RETRIES = 3;

    /** What to do with a record that failed. */
    public enum Handling {
        /** The database or the registry is away: wait and try again, for as long as it takes. */
        RETRY_FOREVER,
        /** The record itself is bad: reject it at once. */
        REJECT,
        /** Unexpected: try a few times (it may be a race), then reject as UNSTORABLE rather than block the partition. */
        RETRY_THEN_REJECT
    }

    private IntakeFailures() {
    }

    /**
     * The error handler of a record listener container: a transient failure is retried forever with exponential
     * back-off ({@code backoffInitial} doubling up to {@code backoffMax}) without leaving the group, a bad record is
     * handed to {@code recoverer} at once, an unexpected failure after {@value #UNEXPECTED_FAILURE_RETRIES} retries.
     * The recovered record's offset is committed.
     */
    public static DefaultErrorHandler errorHandler(Duration backoffInitial, Duration backoffMax,
            ConsumerRecordRecoverer recoverer) {
        DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, transientBackOff(backoffInitial, backoffMax));
        // a registry outage surfaces as a DeserializationException too; the back-off function decides by cause
        handler.removeClassification(DeserializationException.class);
        handler.setBackOffFunction((record, failure) -> switch (handling(failure)) {
            case RETRY_FOREVER -> transientBackOff(backoffInitial, backoffMax);
            case RETRY_THEN_REJECT -> new FixedBackOff(backoffInitial.toMillis(), UNEXPECTED_FAILURE_RETRIES);
            case REJECT -> new FixedBackOff(0, 0);
        });
        handler.setResetStateOnExceptionChange(true);
        handler.setCommitRecovered(true);
        return handler;
    }

    private static BackOff transientBackOff(Duration initial, Duration max) {
        ExponentialBackOff backOff = new ExponentialBackOff(initial.toMillis(), 2.0);
        backOff.setMaxInterval(max.toMillis());
        return backOff;
    }

    public static Handling handling(Throwable failure) {
        if (SerdeErrors.isRetryable(failure)) {
            return Handling.RETRY_FOREVER;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IntakeRejection || t instanceof AvroSerdeException) {
                return Handling.REJECT;
            }
            if (t instanceof TransientDataAccessException || t instanceof DataAccessResourceFailureException
                    || t instanceof RecoverableDataAccessException || t instanceof CannotCreateTransactionException
                    || t instanceof TransactionSystemException || t instanceof SQLTransientException
                    || t instanceof java.net.ConnectException) {
                return Handling.RETRY_FOREVER;
            }
        }
        return find(failure, DeserializationException.class) != null ? Handling.REJECT : Handling.RETRY_THEN_REJECT;
    }

    /** The reason code of a rejection for {@code failure}. */
    public static String reasonCode(Throwable failure) {
        IntakeRejection rejection = find(failure, IntakeRejection.class);
        if (rejection != null) {
            return rejection.reasonCode();
        }
        AvroSerdeException serde = SerdeErrors.find(failure);
        if (serde != null) {
            return serde.reasonCode();
        }
        return find(failure, DeserializationException.class) != null ? "CORRUPT_PAYLOAD" : "UNSTORABLE";
    }

    /** The message of a rejection for {@code failure}: what went wrong, from the innermost useful exception. */
    public static String message(Throwable failure) {
        IntakeRejection rejection = find(failure, IntakeRejection.class);
        if (rejection != null) {
            return String.valueOf(rejection.getMessage());
        }
        AvroSerdeException serde = SerdeErrors.find(failure);
        Throwable root = serde != null ? serde : rootCause(failure);
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** The details of a rejection for {@code failure}. */
    public static Map<String, String> details(Throwable failure) {
        IntakeRejection rejection = find(failure, IntakeRejection.class);
        return rejection != null ? rejection.details() : Map.of("exception", rootCause(failure).getClass().getName());
    }

    /** The first {@code type} along {@code failure}'s cause chain, or null. */
    public static <T extends Throwable> @Nullable T find(@Nullable Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
