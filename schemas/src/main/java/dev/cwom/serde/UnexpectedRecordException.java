package dev.cwom.serde;

import java.util.Set;

/**
 * The record's writer schema, fetched by the id in its header, is not one of the records this consumer expects
 * ({@link KafkaAvroDeserializer#EXPECTED_RECORDS}): refused by name before a byte of the payload is read, so a
 * payload that is not even valid for its own schema cannot cost more than the header.
 */
public final class UnexpectedRecordException extends AvroSerdeException {

    private final int schemaId;
    private final String writerName;

    UnexpectedRecordException(String topic, int schemaId, String writerName, Set<String> expected) {
        super("Record on topic " + topic + " has schema id " + schemaId + " (" + writerName + "), but this consumer"
                + " reads only " + expected.stream().sorted().toList() + " from it; publish " + writerName
                + " records to their own topic, or fix the producer's value.serializer and subject");
        this.schemaId = schemaId;
        this.writerName = writerName;
    }

    /** The id the record named. */
    public int schemaId() {
        return schemaId;
    }

    /** The full name of the record's writer schema (or the type's name when it is not a named type). */
    public String writerName() {
        return writerName;
    }

    @Override
    public String reasonCode() {
        return "SCHEMA_MISMATCH";
    }
}
