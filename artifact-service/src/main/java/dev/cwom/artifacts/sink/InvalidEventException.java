package dev.cwom.artifacts.sink;

/** The event decodes but breaks a rule no retry can fix (a malformed id, a failed run without its failure). */
final class InvalidEventException extends EventRefusedException {

    InvalidEventException(String message) {
        super(message);
    }

    @Override
    String reasonCode() {
        return "VALIDATION_FAILED";
    }
}
