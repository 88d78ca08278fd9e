package dev.cwom.service.kafka;

import java.util.Map;

/**
 * A record a consumer refuses, with the reason code its {@code RecordRejected} carries: MALFORMED_JSON,
 * VALIDATION_FAILED, UNKNOWN_REFERENCE, CONFLICT, CORRUPT_PAYLOAD, UNSTORABLE, ... Its category says whether waiting
 * could help ({@link FailureCategory#REFUSED}) or not ({@link FailureCategory#INVALID_RECORD}).
 */
public abstract class RecordRefusedException extends RuntimeException {

    protected RecordRefusedException(String message, @org.jspecify.annotations.Nullable Throwable cause) {
        super(message, cause);
    }

    /** The reason code written into {@code RecordRejected.reason_code}. */
    public abstract String reasonCode();

    /** {@link FailureCategory#INVALID_RECORD} or {@link FailureCategory#REFUSED}. */
    public abstract FailureCategory category();

    /** Machine-readable facts for {@code RecordRejected.details}. */
    public Map<String, String> details() {
        return Map.of();
    }
}
