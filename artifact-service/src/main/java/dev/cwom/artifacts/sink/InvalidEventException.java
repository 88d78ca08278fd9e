package dev.cwom.artifacts.sink;

import dev.cwom.service.kafka.FailureCategory;

/** The event decodes but breaks a rule no retry can fix (a malformed id, a failed run without its failure). */
final class InvalidEventException extends EventRefusedException {

    InvalidEventException(String message) {
        super(message);
    }

    @Override
    public String reasonCode() {
        return "VALIDATION_FAILED";
    }

    @Override
    public FailureCategory category() {
        return FailureCategory.INVALID_RECORD;
    }
}
