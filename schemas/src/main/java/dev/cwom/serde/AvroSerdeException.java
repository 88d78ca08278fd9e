package dev.cwom.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Base of the serde's typed errors. A {@link SerializationException} so that Kafka and Spring Kafka treat it as a
 * (de)serialization failure; consumers route on the concrete type (see {@link SerdeErrors#isRetryable(Throwable)})
 * and put {@link #reasonCode()} into a {@code RecordRejected}.
 */
public abstract sealed class AvroSerdeException extends SerializationException
        permits WrongMagicByteException, UnknownSchemaIdException, CorruptPayloadException,
        RegistryUnavailableException, SchemaRegistryException, ReaderSchemaMismatchException,
        UnexpectedRecordException {

    AvroSerdeException(String message, Throwable cause) {
        super(message, cause);
    }

    AvroSerdeException(String message) {
        super(message);
    }

    /** The reason code for a rejected-topic record, e.g. {@code WRONG_MAGIC_BYTE}. */
    public abstract String reasonCode();
}
