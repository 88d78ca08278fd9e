package dev.cwom.service.kafka;

/**
 * A decoded record value that keeps the exact bytes it came in, so that a record rejected after decoding still goes
 * to its rejected topic byte for byte ({@link RejectedRecordPublisher}).
 */
public interface ReceivedValue {

    /** The record value as received. */
    byte[] raw();
}
