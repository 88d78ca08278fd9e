package dev.cwom.artifacts.sink;

import java.util.Map;

/**
 * An event the sink cannot store, with the reason code it is rejected under. Subtypes say whether waiting could help
 * ({@link UnknownReferenceException}, {@link UnstorableEventException}: bounded retries) or not
 * ({@link InvalidEventException}: rejected at once).
 */
abstract sealed class EventRefusedException extends RuntimeException
        permits InvalidEventException, UnknownReferenceException, UnstorableEventException {

    EventRefusedException(String message, Throwable cause) {
        super(message, cause);
    }

    EventRefusedException(String message) {
        super(message);
    }

    /** The reason code written into {@code RecordRejected.reason_code}. */
    abstract String reasonCode();

    /** Machine-readable facts for {@code RecordRejected.details}. */
    Map<String, String> details() {
        return Map.of();
    }
}
