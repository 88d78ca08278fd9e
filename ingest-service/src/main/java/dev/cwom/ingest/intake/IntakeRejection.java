package dev.cwom.ingest.intake;

import dev.cwom.service.kafka.FailureCategory;
import dev.cwom.service.kafka.RecordRefusedException;
import java.util.Map;

/**
 * A submission that can never be stored as it is: it goes to {@code cwom.issues.rejected.v1} at once, never retried.
 * Transient failures are other exception types and are retried.
 */
public final class IntakeRejection extends RecordRefusedException {

    private final String reasonCode;
    private final Map<String, String> details;

    public IntakeRejection(String reasonCode, String message, Map<String, String> details) {
        super(message, null);
        this.reasonCode = reasonCode;
        this.details = Map.copyOf(details);
    }

    /** MALFORMED_JSON, VALIDATION_FAILED, UNKNOWN_REFERENCE, CONFLICT, ... as in RecordRejected. */
    @Override
    public String reasonCode() {
        return reasonCode;
    }

    @Override
    public FailureCategory category() {
        return FailureCategory.INVALID_RECORD;
    }

    @Override
    public Map<String, String> details() {
        return details;
    }
}
