package dev.cwom.artifacts.sink;

import dev.cwom.service.kafka.RecordRefusedException;

/**
 * An event the sink cannot store, with the reason code it is rejected under. Subtypes say whether waiting could help
 * ({@link UnknownReferenceException}, {@link UnstorableEventException}: bounded retries) or not
 * ({@link InvalidEventException}: rejected at once).
 */
abstract sealed class EventRefusedException extends RecordRefusedException
        permits InvalidEventException, UnknownReferenceException, UnstorableEventException {

    EventRefusedException(String message, Throwable cause) {
        super(message, cause);
    }

    EventRefusedException(String message) {
        super(message, null);
    }
}
