package dev.cwom.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * Writes Avro records (generated classes or {@code GenericRecord}s, or Avro primitives) in the Confluent wire format:
 * byte 0, the schema's registry id as 4 bytes big-endian, then Avro binary. Configured with Confluent's properties
 * (see {@link AvroSerdeConfig}); Kafka creates it from {@code value.serializer=dev.cwom.serde.KafkaAvroSerializer}.
 */
public class KafkaAvroSerializer implements Serializer<Object> {

    static final byte MAGIC_BYTE = 0;

    private @Nullable SchemaRegistryClient client;
    /** True when configure() made the client, so close() must release it; a given client belongs to the caller. */
    private boolean ownsClient;
    private @Nullable AvroSerdeConfig config;
    private boolean isKey;
    /** Writers by schema and kind: a generated class and a GenericRecord of one schema need different writers. */
    private final Map<WriterKey, DatumWriter<Object>> writers = new java.util.concurrent.ConcurrentHashMap<>();

    private record WriterKey(Schema schema, Class<?> type) {
    }

    /** For Kafka's reflective creation; {@link #configure} must follow. */
    public KafkaAvroSerializer() {
    }

    /** Ready to use with a given client (the configuration's {@code schema.registry.url} is then not used). */
    public KafkaAvroSerializer(SchemaRegistryClient client, Map<String, ?> configs, boolean isKey) {
        this.client = client;
        configure(configs, isKey);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.config = AvroSerdeConfig.from(configs);
        this.isKey = isKey;
        if (client == null) {
            client = SchemaRegistryClients.create(config);
            ownsClient = true;
        }
    }

    @Override
    public byte @Nullable [] serialize(String topic, @Nullable Object data) {
        if (data == null) {
            return null;
        }
        if (config == null || client == null) {
            throw new IllegalStateException("KafkaAvroSerializer used before configure(...): pass it the producer's"
                    + " properties, or let Kafka create it from value.serializer");
        }
        Schema schema = schemaOf(data);
        String subject = config.subjectStrategy(isKey).subjectName(topic, isKey, schema);
        int id = schemaId(subject, schema);
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.write(MAGIC_BYTE);
        out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            DatumWriter<Object> writer = writers.computeIfAbsent(
                    new WriterKey(schema, data instanceof SpecificRecord ? data.getClass() : GenericContainer.class),
                    key -> writerFor(data, schema));
            writer.write(data instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : data, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            // NullPointerException names the field that is null though its schema does not allow it
            throw new SerializationException("Cannot encode a " + schema.getFullName() + " for topic " + topic
                    + " with schema id " + id + ": " + e.getMessage() + "; fix the value before sending it", e);
        }
        return out.toByteArray();
    }

    private int schemaId(String subject, Schema schema) {
        SchemaRegistryClient registry = java.util.Objects.requireNonNull(client);
        if (java.util.Objects.requireNonNull(config).useLatestVersion()) {
            SchemaRegistryClient.SubjectVersion latest = registry.latest(subject);
            if (!latest.schema().equals(schema)) {
                throw new SerializationException("use.latest.version: the latest schema of subject " + subject
                        + " (version " + latest.version() + ", id " + latest.id() + ") is not the record's schema "
                        + schema.getFullName() + "; regenerate the classes from the latest version, or turn"
                        + " use.latest.version off");
            }
            return latest.id();
        }
        return config.autoRegisterSchemas() ? registry.register(subject, schema) : registry.lookupId(subject, schema);
    }

    @SuppressWarnings("unchecked")
    private static DatumWriter<Object> writerFor(Object data, Schema schema) {
        if (data instanceof SpecificRecord) {
            return new SpecificDatumWriter<>(schema, SpecificData.getForClass(data.getClass()));
        }
        return new GenericDatumWriter<>(schema, GenericData.get());
    }

    static Schema schemaOf(Object data) {
        return switch (data) {
            case GenericContainer container -> container.getSchema();
            case CharSequence ignored -> Schema.create(Schema.Type.STRING);
            case Integer ignored -> Schema.create(Schema.Type.INT);
            case Long ignored -> Schema.create(Schema.Type.LONG);
            case Float ignored -> Schema.create(Schema.Type.FLOAT);
            case Double ignored -> Schema.create(Schema.Type.DOUBLE);
            case Boolean ignored -> Schema.create(Schema.Type.BOOLEAN);
            case byte[] ignored -> Schema.create(Schema.Type.BYTES);
            case ByteBuffer ignored -> Schema.create(Schema.Type.BYTES);
            default -> throw new SerializationException("Cannot serialize a " + data.getClass().getName()
                    + " as Avro: give a generated event class (dev.cwom.events.*), a GenericRecord, or an Avro"
                    + " primitive (String, Integer, Long, Float, Double, Boolean, byte[])");
        };
    }

    @Override
    public void close() {
        if (ownsClient && client != null) {
            client.close();
        }
    }
}
