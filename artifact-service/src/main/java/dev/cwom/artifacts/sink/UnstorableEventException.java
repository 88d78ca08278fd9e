package dev.cwom.artifacts.sink;

import dev.cwom.service.kafka.FailureCategory;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The database refused the event for a reason other than a missing reference (a check, a value out of range). */
final class UnstorableEventException extends EventRefusedException {

    private final @Nullable String sqlState;

    UnstorableEventException(String message, @Nullable String sqlState, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
    }

    @Override
    public String reasonCode() {
        return "UNSTORABLE";
    }

    @Override
    public FailureCategory category() {
        return FailureCategory.REFUSED;
    }

    @Override
    public Map<String, String> details() {
        return sqlState == null ? Map.of() : Map.of("sql_state", sqlState);
    }
}
