package dev.cwom.serde;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.util.Utf8;
import org.apache.kafka.common.serialization.Deserializer;
import org.jspecify.annotations.Nullable;

/**
 * Reads the Confluent wire format: checks the magic byte, fetches the writer schema by id (cached), decodes, and
 * checks that every byte was consumed. Answers generated classes with {@code specific.avro.reader=true}, else
 * {@code GenericRecord}s (and Java primitives, strings as {@link String}, bytes as {@code byte[]}). Every failure is a
 * typed {@link AvroSerdeException}; a record that cannot be read whole is never returned in part.
 *
 * <p>Untrusted bytes are bounded before they cost anything: with {@link #EXPECTED_RECORDS} set, a writer schema of
 * another name is refused before a byte of the payload is read; every declared length and block count is checked
 * against the bytes present ({@link AvroStructureCheck}) before the real read allocates for it; and the readers are
 * kept for at most {@value #READER_CACHE_SIZE} schema ids, so ids seen once do not pile up.
 */
public class KafkaAvroDeserializer implements Deserializer<Object> {

    /**
     * The records this deserializer accepts, by full name (e.g. {@code dev.cwom.events.IssueSubmitted}): a
     * comma-separated string, or a collection of names or generated classes. Unset, any writer schema is read.
     */
    public static final String EXPECTED_RECORDS = "cwom.expected.records";

    /** Schema ids whose readers are kept; a consumer sees a handful (one per schema version in its topics). */
    static final int READER_CACHE_SIZE = 64;

    private static final int HEADER_LENGTH = 5;

    private final BoundedCache<Integer, DatumReader<Object>> readers = new BoundedCache<>(READER_CACHE_SIZE);
    private Set<String> expected = Set.of();
    private @Nullable SchemaRegistryClient client;
    /** True when configure() made the client, so close() must release it; a given client belongs to the caller. */
    private boolean ownsClient;
    private @Nullable AvroSerdeConfig config;

    /** For Kafka's reflective creation; {@link #configure} must follow. */
    public KafkaAvroDeserializer() {
    }

    /** Ready to use with a given client (the configuration's {@code schema.registry.url} is then not used). */
    public KafkaAvroDeserializer(SchemaRegistryClient client, Map<String, ?> configs, boolean isKey) {
        this.client = client;
        configure(configs, isKey);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.config = AvroSerdeConfig.from(configs);
        this.expected = expectedRecords(configs.get(EXPECTED_RECORDS));
        if (config.specificAvroReader()) {
            TrustedAvroClasses.trustPackage(TrustedAvroClasses.CWOM_EVENTS);
        }
        if (client == null) {
            client = SchemaRegistryClients.create(config);
            ownsClient = true;
        }
    }

    @Override
    public @Nullable Object deserialize(String topic, byte @Nullable [] data) {
        if (data == null) {
            return null;
        }
        if (client == null || config == null) {
            throw new IllegalStateException("KafkaAvroDeserializer used before configure(...): pass it the"
                    + " consumer's properties, or let Kafka create it from value.deserializer");
        }
        if (data.length == 0) {
            throw new CorruptPayloadException("Record on topic " + topic + " is empty (0 bytes), not the Confluent"
                    + " wire format; a deleted value is a null (tombstone), never empty bytes", null);
        }
        if (data[0] != KafkaAvroSerializer.MAGIC_BYTE) {
            throw new WrongMagicByteException(topic, data[0]);
        }
        if (data.length < HEADER_LENGTH) {
            throw new CorruptPayloadException("Record on topic " + topic + " is truncated: " + data.length
                    + " bytes, but the wire format's header alone is " + HEADER_LENGTH, null);
        }
        int id = ByteBuffer.wrap(data, 1, 4).getInt();
        Schema writer = writerSchema(topic, id);
        if (!expected.isEmpty() && !expected.contains(writer.getFullName())) {
            throw new UnexpectedRecordException(topic, id, writer.getFullName(), expected);
        }
        // First a pass that only skips: lengths in corrupt data are then checked against the bytes present before
        // the real read allocates anything for them (a garbage length could otherwise ask for gigabytes).
        checkStructure(topic, id, writer, data);
        DatumReader<Object> reader = readers.get(id, i -> readerFor(topic, i, writer));
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, HEADER_LENGTH, data.length - HEADER_LENGTH,
                null);
        Object value;
        try {
            value = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw corrupt(topic, id, writer, "bytes left over after the record", null);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof AvroSerdeException serde) {
                throw serde;
            }
            throw corrupt(topic, id, writer, e.toString(), e);
        }
        return value instanceof Utf8 utf8 ? utf8.toString()
                : value instanceof ByteBuffer buffer ? toArray(buffer) : value;
    }

    private static void checkStructure(String topic, int id, Schema writer, byte[] data) {
        try {
            AvroStructureCheck.check(writer, data, HEADER_LENGTH);
        } catch (AvroStructureCheck.Invalid e) {
            throw corrupt(topic, id, writer, e.getMessage(), null);
        } catch (EOFException e) {
            throw corrupt(topic, id, writer, "truncated: the data ends inside the record", e);
        } catch (IOException | RuntimeException e) {
            throw corrupt(topic, id, writer, e.toString(), e);
        }
    }

    /** The configured {@link #EXPECTED_RECORDS} as full names. */
    private static Set<String> expectedRecords(@Nullable Object value) {
        if (value == null) {
            return Set.of();
        }
        Collection<?> items = value instanceof Collection<?> c ? c : List.of(value.toString().split(","));
        Set<String> names = new LinkedHashSet<>();
        for (Object item : items) {
            String name = item instanceof Class<?> type ? SpecificData.get().getSchema(type).getFullName()
                    : item.toString().trim();
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return Set.copyOf(names);
    }

    private Schema writerSchema(String topic, int id) {
        try {
            return Objects.requireNonNull(client).schemaById(id);
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == 40403 || e.httpStatus() == 404) {
                throw new UnknownSchemaIdException(topic, id, e.getMessage());
            }
            throw e;
        }
    }

    @SuppressWarnings("unchecked")
    private DatumReader<Object> readerFor(String topic, int id, Schema writer) {
        boolean named = writer.getType() == Schema.Type.RECORD || writer.getType() == Schema.Type.ENUM
                || writer.getType() == Schema.Type.FIXED;
        if (!Objects.requireNonNull(config).specificAvroReader() || !named) {
            return new GenericDatumReader<>(writer, writer, GenericData.get());
        }
        Class<?> type;
        try {
            type = SpecificData.get().getClass(writer);
        } catch (SecurityException e) {
            throw new ReaderSchemaMismatchException("Record on topic " + topic + " has schema id " + id + " ("
                    + writer.getFullName() + "), which names a class that is not a trusted generated record (see "
                    + TrustedAvroClasses.class.getSimpleName() + "); read GenericRecords or trust its package");
        }
        if (type == null) {
            throw new ReaderSchemaMismatchException("Record on topic " + topic + " has schema id " + id + " ("
                    + writer.getFullName() + "), but no generated class of that name is on the classpath while "
                    + AvroSerdeConfig.SPECIFIC_AVRO_READER + "=true; add it, or read GenericRecords");
        }
        Schema readerSchema = SpecificData.get().getSchema(type);
        List<SchemaCompatibility.Incompatibility> problems = SchemaCompatibility
                .checkReaderWriterCompatibility(readerSchema, writer).getResult().getIncompatibilities();
        if (!problems.isEmpty()) {
            throw new ReaderSchemaMismatchException("Record on topic " + topic + " has schema id " + id
                    + " that " + type.getName() + " cannot read: " + problems.stream()
                    .map(p -> p.getType() + " at " + p.getLocation() + ": " + p.getMessage()).toList()
                    + "; upgrade this consumer's event classes");
        }
        return new SpecificDatumReader<>(writer, readerSchema, SpecificData.getForClass(type));
    }

    @Override
    public void close() {
        if (ownsClient && client != null) {
            client.close();
        }
    }

    private static CorruptPayloadException corrupt(String topic, int id, Schema writer, String problem,
                                                   @Nullable Throwable cause) {
        return new CorruptPayloadException("Record on topic " + topic + " with schema id " + id + " ("
                + writer.getFullName() + ") is not valid Avro for that schema: " + problem, cause);
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
