package dev.cwom.service.kafka;

import dev.cwom.serde.AvroSerdeException;
import dev.cwom.serde.SerdeErrors;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.RetriableException;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * The one classification of consumer failures, by the exception's type along its cause chain (and, for database
 * failures, the SQLSTATE), never by message; plus the reason code, message and details of a rejection. Whatever is
 * "temporary" is listed here and nowhere else.
 */
public final class ConsumerFailures {

    /**
     * Failures that say "not now" rather than "not this": the database, the broker or the registry is away, a lock
     * or a transaction's commit failed. Any of them along the cause chain makes a failure {@code UNAVAILABLE}.
     */
    static final List<Class<? extends Throwable>> UNAVAILABLE = List.of(
            TransientDataAccessException.class, RecoverableDataAccessException.class,
            DataAccessResourceFailureException.class, CannotCreateTransactionException.class,
            // commit or rollback failed: the connection broke, the record is not at fault
            TransactionSystemException.class,
            SQLTransientException.class, SQLRecoverableException.class, SQLNonTransientConnectionException.class,
            RetriableException.class, java.net.ConnectException.class);

    /** SQLSTATE classes of an unavailable database: 08 connection, 53 insufficient resources, 57 operator action. */
    private static final List<String> UNAVAILABLE_SQL_STATE_CLASSES = List.of("08", "53", "57");

    /**
     * SQLSTATEs of a database without this service's schema: 42P01 undefined table, 42703 undefined column. A
     * deployment problem that no record causes, so records wait for it to be fixed rather than being rejected.
     */
    private static final List<String> NOT_MIGRATED_SQL_STATES = List.of("42P01", "42703");

    private ConsumerFailures() {
    }

    /** The category of {@code failure}: what the consumer does with its record. */
    public static FailureCategory category(Throwable failure) {
        if (SerdeErrors.isRetryable(failure)) {
            return FailureCategory.UNAVAILABLE;
        }
        RecordRefusedException refused = find(failure, RecordRefusedException.class);
        if (refused != null) {
            return refused.category();
        }
        if (SerdeErrors.find(failure) != null) {
            return FailureCategory.INVALID_RECORD;
        }
        if (isUnavailable(failure)) {
            return FailureCategory.UNAVAILABLE;
        }
        String sqlState = sqlState(failure);
        if (sqlState != null && NOT_MIGRATED_SQL_STATES.contains(sqlState)) {
            return FailureCategory.SCHEMA_NOT_MIGRATED;
        }
        // a DeserializationException that is not a registry outage: the bytes themselves are bad
        return find(failure, DeserializationException.class) != null ? FailureCategory.INVALID_RECORD
                : FailureCategory.UNEXPECTED;
    }

    /** True when waiting will help and the record is not at fault: {@code UNAVAILABLE} or {@code SCHEMA_NOT_MIGRATED}. */
    public static boolean isTransient(Throwable failure) {
        return category(failure).handling() == FailureCategory.Handling.RETRY_FOREVER;
    }

    private static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = next(t)) {
            Throwable current = t;
            if (UNAVAILABLE.stream().anyMatch(type -> type.isInstance(current))) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().length() >= 2
                    && UNAVAILABLE_SQL_STATE_CLASSES.contains(sql.getSQLState().substring(0, 2))) {
                return true;
            }
        }
        return false;
    }

    /** The reason code of a rejection for {@code failure}. */
    public static String reasonCode(Throwable failure) {
        RecordRefusedException refused = find(failure, RecordRefusedException.class);
        if (refused != null) {
            return refused.reasonCode();
        }
        AvroSerdeException serde = SerdeErrors.find(failure);
        if (serde != null) {
            return serde.reasonCode();
        }
        return find(failure, DeserializationException.class) != null ? "CORRUPT_PAYLOAD" : "UNSTORABLE";
    }

    /** The most specific message along the chain: the refusal's, else the decoder's, else the root cause's. */
    public static String message(Throwable failure) {
        RecordRefusedException refused = find(failure, RecordRefusedException.class);
        if (refused != null) {
            return String.valueOf(refused.getMessage());
        }
        AvroSerdeException serde = SerdeErrors.find(failure);
        if (serde != null) {
            return String.valueOf(serde.getMessage());
        }
        Throwable root = statementRoot(failure);
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /**
     * Facts for {@code RecordRejected.details}: the refusal's own, the category, and the exception at the root when
     * the refusal is not the root itself (a database error, a decoder's exception).
     */
    public static Map<String, String> details(Throwable failure) {
        Map<String, String> details = new LinkedHashMap<>();
        RecordRefusedException refused = find(failure, RecordRefusedException.class);
        if (refused != null) {
            details.putAll(refused.details());
        }
        details.put("category", category(failure).name());
        Throwable root = root(failure);
        if (root != refused) {
            details.put("exception", root.getClass().getName());
        }
        return details;
    }

    /** The SQLSTATE of the first SQL failure along the chain (a batch's failing statement comes as the next one). */
    public static @Nullable String sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = next(t)) {
            if (t instanceof SQLException sql) {
                for (SQLException s = sql; s != null; s = s.getNextException()) {
                    if (s.getSQLState() != null && !s.getSQLState().isEmpty()) {
                        return s.getSQLState();
                    }
                }
            }
        }
        return null;
    }

    /** The first {@code type} along {@code failure}'s cause chain, or null. */
    public static <T extends Throwable> @Nullable T find(@Nullable Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = next(t)) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** The message at the root of the chain; for a batch's SQL failure, the failing statement's. */
    public static String rootMessage(Throwable failure) {
        return String.valueOf(statementRoot(failure).getMessage());
    }

    private static Throwable statementRoot(Throwable failure) {
        Throwable root = root(failure);
        return root instanceof SQLException sql && sql.getNextException() != null ? sql.getNextException() : root;
    }

    private static Throwable root(Throwable failure) {
        Throwable t = failure;
        for (Throwable cause = next(t); cause != null; cause = next(t)) {
            t = cause;
        }
        return t;
    }

    private static @Nullable Throwable next(Throwable t) {
        Throwable cause = t.getCause();
        return cause == t ? null : cause;
    }
}
