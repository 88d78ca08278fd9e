package dev.cwom.serde;

/**
 * The record's writer schema cannot be read into what this consumer expects: no generated class for it while
 * {@code specific.avro.reader=true}, or the class's schema cannot read the writer schema.
 */
public final class ReaderSchemaMismatchException extends AvroSerdeException {

    ReaderSchemaMismatchException(String message) {
        super(message);
    }

    @Override
    public String reasonCode() {
        return "SCHEMA_MISMATCH";
    }
}
