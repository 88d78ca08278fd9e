package dev.cwom.ingest.intake;

import dev.cwom.serde.AvroSerdeException;
import dev.cwom.serde.SerdeErrors;
import java.sql.SQLTransientException;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/** How the intake handles a failure, decided by the exception's type along its cause chain, never by message. */
public final class IntakeFailures {

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

    static String reasonCode(Throwable failure) {
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

    static String message(Throwable failure) {
        IntakeRejection rejection = find(failure, IntakeRejection.class);
        if (rejection != null) {
            return String.valueOf(rejection.getMessage());
        }
        AvroSerdeException serde = SerdeErrors.find(failure);
        Throwable root = serde != null ? serde : rootCause(failure);
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    static Map<String, String> details(Throwable failure) {
        IntakeRejection rejection = find(failure, IntakeRejection.class);
        return rejection != null ? rejection.details() : Map.of("exception", rootCause(failure).getClass().getName());
    }

    static <T extends Throwable> @Nullable T find(@Nullable Throwable failure, Class<T> type) {
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
