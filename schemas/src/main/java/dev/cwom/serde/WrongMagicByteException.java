package dev.cwom.serde;

/** The record does not start with the Confluent wire format's magic byte 0: it is not from an Avro serializer. */
public final class WrongMagicByteException extends AvroSerdeException {

    private final byte found;

    WrongMagicByteException(String topic, byte found) {
        super(String.format("Record on topic %s starts with byte 0x%02x, not the Confluent wire format's magic byte"
                + " 0x00: it was not written by an Avro serializer with a schema registry; fix the producer's"
                + " value.serializer", topic, found));
        this.found = found;
    }

    /** The first byte of the record. */
    public byte found() {
        return found;
    }

    @Override
    public String reasonCode() {
        return "WRONG_MAGIC_BYTE";
    }
}
