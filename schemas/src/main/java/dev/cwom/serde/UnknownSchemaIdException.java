package dev.cwom.serde;

/** The registry has no schema with the record's schema id (error 40403): the record cannot be read, ever. */
public final class UnknownSchemaIdException extends AvroSerdeException {

    private final int schemaId;

    UnknownSchemaIdException(String topic, int schemaId, String registryMessage) {
        super("Record on topic " + topic + " names schema id " + schemaId + ", which the schema registry does not"
                + " know (" + registryMessage + "); the producer used another registry: check schema.registry.url"
                + " on both sides");
        this.schemaId = schemaId;
    }

    /** The id the record named. */
    public int schemaId() {
        return schemaId;
    }

    @Override
    public String reasonCode() {
        return "UNKNOWN_SCHEMA_ID";
    }
}
