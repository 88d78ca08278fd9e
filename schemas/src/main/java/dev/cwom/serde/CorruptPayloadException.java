package dev.cwom.serde;

import org.jspecify.annotations.Nullable;

/**
 * The record's bytes are not a valid encoding under its writer schema: truncated, trailing garbage, or values out
 * of range. The deserializer never hands out a half-read object instead.
 */
public final class CorruptPayloadException extends AvroSerdeException {

    CorruptPayloadException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    @Override
    public String reasonCode() {
        return "CORRUPT_PAYLOAD";
    }
}
