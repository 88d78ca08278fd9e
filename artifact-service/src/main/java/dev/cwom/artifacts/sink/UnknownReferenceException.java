package dev.cwom.artifacts.sink;

import dev.cwom.service.kafka.FailureCategory;
import java.util.Map;

/**
 * The database refused the event because something it names does not exist (its issue, repo, context packet,
 * doctrine ref or constraint snapshot). Retried a bounded number of times, since ingest may commit the referenced
 * object a moment later, then rejected.
 */
final class UnknownReferenceException extends EventRefusedException {

    private final String sqlState;

    UnknownReferenceException(String message, String sqlState, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
    }

    @Override
    public String reasonCode() {
        return "UNKNOWN_REFERENCE";
    }

    @Override
    public FailureCategory category() {
        return FailureCategory.REFUSED;
    }

    @Override
    public Map<String, String> details() {
        return Map.of("sql_state", sqlState);
    }
}
