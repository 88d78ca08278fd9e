package dev.cwom.artifacts.sink;

import dev.cwom.serde.AvroSerdeException;
import dev.cwom.serde.SerdeErrors;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * What to do about a failure, decided by the exception's type (and, for database refusals, its SQLSTATE code):
 * transient failures are retried without limit, refusals a bounded number of times, invalid input never.
 */
final class SinkFailures {

    /** PostgreSQL's foreign_key_violation: the event names an object that does not exist (yet). */
    static final String FOREIGN_KEY_VIOLATION = "23503";

    /** How a failure is handled. */
    enum Handling {
        /** The database or the registry is unreachable: wait and retry, without limit, never reject. */
        RETRY_FOREVER,
        /** The database refused the event: retry a few times (a reference may appear), then reject. */
        RETRY_THEN_REJECT,
        /** The record can never be stored: reject at once. */
        REJECT
    }

    private SinkFailures() {
    }

    static Handling handling(Throwable failure) {
        for (Throwable t = failure; t != null; t = next(t)) {
            if (t instanceof InvalidEventException) {
                return Handling.REJECT;
            }
            if (t instanceof EventRefusedException) {
                return Handling.RETRY_THEN_REJECT;
            }
            if (t instanceof AvroSerdeException serde) {
                return SerdeErrors.isRetryable(serde) ? Handling.RETRY_FOREVER : Handling.REJECT;
            }
        }
        return isTransient(failure) ? Handling.RETRY_FOREVER : Handling.RETRY_THEN_REJECT;
    }

    /** True when the failure says "not now" rather than "not this": lost connections, lock conflicts, timeouts. */
    static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = next(t)) {
            if (t instanceof TransientDataAccessException || t instanceof RecoverableDataAccessException
                    || t instanceof DataAccessResourceFailureException || t instanceof CannotCreateTransactionException
                    // commit or rollback failed: the connection broke, the event is not at fault
                    || t instanceof TransactionSystemException
                    || t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof org.apache.kafka.common.errors.RetriableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && isConnectionState(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The typed refusal for a database failure while storing one event; a transient failure is answered unchanged,
     * because it says nothing about the event.
     */
    static RuntimeException refusal(RuntimeException failure, SinkEvent event) {
        if (isTransient(failure)) {
            return failure;
        }
        String sqlState = sqlState(failure);
        if (FOREIGN_KEY_VIOLATION.equals(sqlState)) {
            return new UnknownReferenceException(event.describe() + " names an issue, repo, run or pinned input that"
                    + " does not exist in the database (" + rootMessage(failure) + "); create it through ingest first,"
                    + " then replay the rejected record", sqlState, failure);
        }
        return new UnstorableEventException(event.describe() + " cannot be stored: " + rootMessage(failure)
                + "; fix the producer, then replay the rejected record", sqlState, failure);
    }

    /** The reason code of a rejected record. */
    static String reasonCode(Throwable failure) {
        for (Throwable t = failure; t != null; t = next(t)) {
            if (t instanceof EventRefusedException refused) {
                return refused.reasonCode();
            }
            if (t instanceof AvroSerdeException serde) {
                return serde.reasonCode();
            }
        }
        return "UNSTORABLE";
    }

    /** The most specific message in the chain: the typed refusal's, else the root cause's. */
    static String message(Throwable failure) {
        for (Throwable t = failure; t != null; t = next(t)) {
            if ((t instanceof EventRefusedException || t instanceof AvroSerdeException) && t.getMessage() != null) {
                return t.getMessage();
            }
        }
        return rootMessage(failure);
    }

    /** Facts for {@code RecordRejected.details}. */
    static Map<String, String> details(Throwable failure) {
        Map<String, String> details = new HashMap<>();
        for (Throwable t = failure; t != null; t = next(t)) {
            if (t instanceof EventRefusedException refused) {
                details.putAll(refused.details());
                break;
            }
        }
        details.put("exception", root(failure).getClass().getName());
        return details;
    }

    static @Nullable String sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = next(t)) {
            if (t instanceof SQLException sql) {
                // A batch failure carries the failing statement's exception as the next one.
                for (SQLException s = sql; s != null; s = s.getNextException()) {
                    if (s.getSQLState() != null && !s.getSQLState().isEmpty()) {
                        return s.getSQLState();
                    }
                }
            }
        }
        return null;
    }

    private static boolean isConnectionState(String sqlState) {
        // 08 connection exception, 53 insufficient resources, 57 operator intervention (e.g. terminated backend).
        // A missing table or column is not among them: the sink migrates its own tables before it consumes.
        return sqlState.startsWith("08") || sqlState.startsWith("53") || sqlState.startsWith("57");
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = root(failure);
        if (root instanceof SQLException sql && sql.getNextException() != null) {
            root = sql.getNextException();
        }
        return String.valueOf(root.getMessage());
    }

    private static Throwable root(Throwable failure) {
        Throwable t = failure;
        while (next(t) != null) {
            t = next(t);
        }
        return t;
    }

    private static @Nullable Throwable next(Throwable t) {
        Throwable cause = t.getCause();
        return cause == t ? null : cause;
    }
}
