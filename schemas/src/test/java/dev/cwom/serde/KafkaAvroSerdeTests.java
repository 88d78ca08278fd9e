package dev.cwom.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cwom.events.ArtifactCreated;
import dev.cwom.events.RunEvent;
import dev.cwom.events.Topics;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

class KafkaAvroSerdeTests {

    private String scope;

    @BeforeEach
    void newScope(TestInfo test) {
        scope = "serde-" + test.getDisplayName();
    }

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.dropScope(scope);
    }

    @Test
    void roundTripsASpecificRecordWithUnionPayloadAndTimestamps() {
        RunEvent finished = SampleEvents.runFinished();
        RunEvent started = SampleEvents.runStarted();

        assertThat(deserializer(true).deserialize(Topics.RUNS, serializer().serialize(Topics.RUNS, finished)))
                .isEqualTo(finished);
        assertThat(deserializer(true).deserialize(Topics.RUNS, serializer().serialize(Topics.RUNS, started)))
                .isEqualTo(started);
    }

    @Test
    void writesTheConfluentWireFormatWithTheRegisteredId() {
        byte[] bytes = serializer().serialize(Topics.ARTIFACTS, SampleEvents.artifact());

        int registered = MockSchemaRegistry.clientForScope(scope)
                .lookupId(Topics.ARTIFACTS + "-value", ArtifactCreated.getClassSchema());
        assertThat(bytes[0]).isZero();
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(registered);
    }

    @Test
    void roundTripsAGenericRecordAndReadsSpecificOnesAsGeneric() {
        Schema schema = new Schema.Parser().parse("""
                {"type":"record","name":"Probe","namespace":"dev.cwom.test","fields":[
                 {"name":"id","type":"string"},{"name":"n","type":["null","long"],"default":null},
                 {"name":"tags","type":{"type":"array","items":"string"}}]}""");
        GenericRecord probe = new GenericRecordBuilder(schema)
                .set("id", "p1").set("n", 7L).set("tags", java.util.List.of("a", "b")).build();

        Object read = deserializer(false).deserialize("probes", serializer().serialize("probes", probe));
        assertThat(GenericData.get().compare(read, probe, schema)).isZero();

        Object generic = deserializer(false).deserialize(Topics.RUNS,
                serializer().serialize(Topics.RUNS, SampleEvents.runFinished()));
        assertThat(generic).isInstanceOf(GenericRecord.class).isNotInstanceOf(RunEvent.class);
        assertThat(((GenericRecord) generic).get("run_id")).hasToString(SampleEvents.runFinished().getRunId());
    }

    @Test
    void aSpecificReaderRefusesAWriterSchemaNamingAClassThatIsNoGeneratedRecord() {
        // a producer could register a schema named after any class on the consumer's classpath
        Schema schema = SchemaBuilder.record("dev.cwom.serde.AvroSerdeConfig").fields()
                .requiredString("id").endRecord();
        byte[] bytes = serializer().serialize("probes", new GenericRecordBuilder(schema).set("id", "p1").build());

        assertThatThrownBy(() -> deserializer(true).deserialize("probes", bytes))
                .isInstanceOf(ReaderSchemaMismatchException.class)
                .hasMessageContaining("dev.cwom.serde.AvroSerdeConfig")
                .hasMessageContaining("not a trusted generated record");
    }

    @Test
    void oneSerializerWritesGeneratedAndGenericRecordsOfTheSameSchemaAlike() {
        ArtifactCreated specific = SampleEvents.artifact();
        GenericRecordBuilder generic = new GenericRecordBuilder(ArtifactCreated.getClassSchema());
        for (Schema.Field field : ArtifactCreated.getClassSchema().getFields()) {
            Object value = specific.get(field.pos());
            generic.set(field, value instanceof java.time.Instant instant ? instant.toEpochMilli()
                    : value instanceof Enum<?> symbol ? new GenericData.EnumSymbol(field.schema(), symbol.name())
                    : value);
        }
        KafkaAvroSerializer serializer = serializer();

        byte[] fromSpecific = serializer.serialize(Topics.ARTIFACTS, specific);
        byte[] fromGeneric = serializer.serialize(Topics.ARTIFACTS, generic.build());

        assertThat(fromGeneric).isEqualTo(fromSpecific);
        assertThat(deserializer(true).deserialize(Topics.ARTIFACTS, fromGeneric)).isEqualTo(specific);
    }

    @Test
    void roundTripsPrimitives() {
        assertThat(deserializer(false).deserialize("t", serializer().serialize("t", "plain"))).isEqualTo("plain");
        assertThat(deserializer(false).deserialize("t2", serializer().serialize("t2", 42L))).isEqualTo(42L);
        assertThat((byte[]) deserializer(false).deserialize("t3", serializer().serialize("t3", new byte[] {1, 2})))
                .containsExactly(1, 2);
    }

    @Test
    void leavesNullsAsNulls() {
        assertThat(serializer().serialize(Topics.RUNS, null)).isNull();
        assertThat(deserializer(true).deserialize(Topics.RUNS, null)).isNull();
    }

    @Test
    void rejectsARecordWithAWrongMagicByte() {
        byte[] json = "{\"title\":\"not avro\"}".getBytes();

        assertThatThrownBy(() -> deserializer(true).deserialize(Topics.ISSUES_SUBMITTED, json))
                .isInstanceOf(WrongMagicByteException.class)
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("0x7b")
                .hasMessageContaining(Topics.ISSUES_SUBMITTED)
                .extracting(e -> ((AvroSerdeException) e).reasonCode()).isEqualTo("WRONG_MAGIC_BYTE");
    }

    @Test
    void rejectsARecordWithAnUnknownSchemaId() {
        byte[] bytes = serializer().serialize(Topics.RUNS, SampleEvents.runFinished());
        ByteBuffer.wrap(bytes).putInt(1, 9999);

        assertThatThrownBy(() -> deserializer(true).deserialize(Topics.RUNS, bytes))
                .isInstanceOf(UnknownSchemaIdException.class)
                .hasMessageContaining("9999")
                .extracting(e -> ((UnknownSchemaIdException) e).schemaId()).isEqualTo(9999);
    }

    @Test
    void rejectsEveryTruncationOfAValidRecordInsteadOfReturningPartOfIt() {
        byte[] bytes = serializer().serialize(Topics.RUNS, SampleEvents.runStarted());
        KafkaAvroDeserializer deserializer = deserializer(true);

        for (int length = 1; length < bytes.length; length++) {
            byte[] truncated = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> deserializer.deserialize(Topics.RUNS, truncated))
                    .as("first %d of %d bytes", length, bytes.length)
                    .isInstanceOf(CorruptPayloadException.class);
        }
    }

    @Test
    void rejectsTrailingBytesAfterACompleteRecord() {
        byte[] bytes = serializer().serialize(Topics.ARTIFACTS, SampleEvents.artifact());
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);

        assertThatThrownBy(() -> deserializer(true).deserialize(Topics.ARTIFACTS, longer))
                .isInstanceOf(CorruptPayloadException.class)
                .hasMessageContaining("trailing bytes");
    }

    @Test
    void rejectsGarbageThatClaimsAHugeStringWithoutAllocatingIt() {
        byte[] header = serializer().serialize(Topics.ARTIFACTS, SampleEvents.artifact());
        // zig-zag varint for a string length of about one billion, then nothing
        byte[] garbage = {header[0], header[1], header[2], header[3], header[4], (byte) 0xfe, (byte) 0xff,
            (byte) 0xff, (byte) 0xff, 0x07};

        assertThatThrownBy(() -> deserializer(true).deserialize(Topics.ARTIFACTS, garbage))
                .isInstanceOf(CorruptPayloadException.class)
                .hasMessageContaining("dev.cwom.events.ArtifactCreated");
    }

    @Test
    void rejectsAUnionOrEnumIndexOutOfRange() {
        Schema schema = new Schema.Parser().parse("""
                {"type":"record","name":"Indexed","namespace":"dev.cwom.test","fields":[
                 {"name":"u","type":["null","string"]},
                 {"name":"e","type":{"type":"enum","name":"Two","symbols":["A","B"]}}]}""");
        byte[] bytes = serializer().serialize("indexed",
                new GenericRecordBuilder(schema).set("u", null).set("e", new GenericData.EnumSymbol(schema, "B"))
                        .build());
        byte[] badUnion = bytes.clone();
        badUnion[5] = 0x7e; // union branch 63 of 2
        byte[] badEnum = bytes.clone();
        badEnum[6] = 0x10; // symbol 8 of 2

        assertThatThrownBy(() -> deserializer(false).deserialize("indexed", badUnion))
                .isInstanceOf(CorruptPayloadException.class);
        assertThatThrownBy(() -> deserializer(false).deserialize("indexed", badEnum))
                .isInstanceOf(CorruptPayloadException.class);
    }

    @Test
    void neverReturnsAPartialRecordWhateverSingleByteIsCorrupted() {
        RunEvent event = SampleEvents.runFinished();
        byte[] bytes = serializer().serialize(Topics.RUNS, event);
        KafkaAvroDeserializer deserializer = deserializer(true);

        int typedErrors = 0;
        for (int i = 5; i < bytes.length; i++) {
            byte[] corrupted = bytes.clone();
            corrupted[i] = (byte) 0xff;
            try {
                // a corruption that still decodes must decode into a whole, valid event
                RunEvent read = (RunEvent) deserializer.deserialize(Topics.RUNS, corrupted);
                assertThat(read.getPayload()).isNotNull();
            } catch (CorruptPayloadException e) {
                typedErrors++;
            }
        }
        assertThat(typedErrors).isPositive();
    }

    @Test
    void reportsAnUnreachableRegistryAsRetryable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:" + closedPort), false);

        assertThatThrownBy(() -> serializer.serialize(Topics.RUNS, SampleEvents.runFinished()))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("127.0.0.1:" + closedPort)
                .satisfies(e -> assertThat(SerdeErrors.isRetryable(new RuntimeException("wrapped", e))).isTrue());
        assertThat(SerdeErrors.isRetryable(new CorruptPayloadException("x", null))).isFalse();
    }

    @Test
    void refusesToSerializeAnUnregisteredSchemaWhenAutoRegisterIsOff() {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(config(Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, "false")), false);

        assertThatThrownBy(() -> serializer.serialize(Topics.RUNS, SampleEvents.runFinished()))
                .isInstanceOf(SchemaRegistryException.class)
                .extracting(e -> ((SchemaRegistryException) e).errorCode()).isEqualTo(40401);

        serializer().serialize(Topics.RUNS, SampleEvents.runFinished());
        assertThat(serializer.serialize(Topics.RUNS, SampleEvents.runFinished())).isNotEmpty();
    }

    @Test
    void useLatestVersionWritesWithTheSubjectsLatestId() {
        int id = MockSchemaRegistry.clientForScope(scope).register(Topics.RUNS + "-value", RunEvent.getClassSchema());
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(config(Map.of(AvroSerdeConfig.USE_LATEST_VERSION, true,
                AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false)), false);

        byte[] bytes = serializer.serialize(Topics.RUNS, SampleEvents.runFinished());

        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
        assertThatThrownBy(() -> serializer.serialize(Topics.RUNS, SampleEvents.artifact()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("use.latest.version");
    }

    @Test
    void recordNameStrategyRegistersUnderTheRecordsFullName() {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(config(Map.of(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY,
                "io.confluent.kafka.serializers.subject.RecordNameStrategy")), false);

        serializer.serialize("any-topic", SampleEvents.artifact());

        assertThat(MockSchemaRegistry.clientForScope(scope).latest("dev.cwom.events.ArtifactCreated").schema())
                .isEqualTo(ArtifactCreated.getClassSchema());
    }

    @Test
    void refusesAnIncompatibleSchemaWith409() {
        Schema v1 = new Schema.Parser().parse("""
                {"type":"record","name":"Probe","fields":[{"name":"a","type":"string"}]}""");
        Schema v2 = new Schema.Parser().parse("""
                {"type":"record","name":"Probe","fields":[{"name":"a","type":"string"},{"name":"b","type":"int"}]}""");
        serializer().serialize("probes", new GenericRecordBuilder(v1).set("a", "x").build());

        assertThatThrownBy(() -> serializer().serialize("probes",
                new GenericRecordBuilder(v2).set("a", "x").set("b", 1).build()))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("READER_FIELD_MISSING_DEFAULT")
                .extracting(e -> ((SchemaRegistryException) e).errorCode()).isEqualTo(409);
    }

    @Test
    void failsClearlyWhenASpecificReaderHasNoClassForTheWriterSchema() {
        Schema probe = new Schema.Parser().parse("""
                {"type":"record","name":"NoSuchClass","namespace":"dev.cwom.nowhere","fields":[
                 {"name":"a","type":"string"}]}""");
        byte[] bytes = serializer().serialize("probes", new GenericRecordBuilder(probe).set("a", "x").build());

        assertThatThrownBy(() -> deserializer(true).deserialize("probes", bytes))
                .isInstanceOf(ReaderSchemaMismatchException.class)
                .hasMessageContaining("dev.cwom.nowhere.NoSuchClass");
    }

    @Test
    void sharesAMockRegistryPerScopeOnly() {
        byte[] bytes = serializer().serialize(Topics.RUNS, SampleEvents.runFinished());
        KafkaAvroDeserializer otherScope = new KafkaAvroDeserializer();
        otherScope.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope + "-other"), false);

        assertThat(deserializer(true).deserialize(Topics.RUNS, bytes)).isEqualTo(SampleEvents.runFinished());
        assertThatThrownBy(() -> otherScope.deserialize(Topics.RUNS, bytes))
                .isInstanceOf(UnknownSchemaIdException.class);
        MockSchemaRegistry.dropScope(scope + "-other");
    }

    @Test
    void refusesARecordOfAnotherTypeByNameBeforeReadingItsPayload() {
        KafkaAvroDeserializer artifactsOnly = new KafkaAvroDeserializer();
        artifactsOnly.configure(config(Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER, true,
                KafkaAvroDeserializer.EXPECTED_RECORDS, java.util.List.of(ArtifactCreated.class))), false);
        byte[] run = serializer().serialize(Topics.RUNS, SampleEvents.runFinished());
        // the RunEvent's header, then bytes that are no valid RunEvent: refused by name, so never decoded
        byte[] runHeaderThenGarbage = Arrays.copyOf(run, 5 + 64);
        Arrays.fill(runHeaderThenGarbage, 5, runHeaderThenGarbage.length, (byte) 0xff);

        for (byte[] bytes : java.util.List.of(run, runHeaderThenGarbage)) {
            assertThatThrownBy(() -> artifactsOnly.deserialize(Topics.ARTIFACTS, bytes))
                    .isInstanceOfSatisfying(UnexpectedRecordException.class, e -> {
                        assertThat(e.reasonCode()).isEqualTo("SCHEMA_MISMATCH");
                        assertThat(e.writerName()).isEqualTo("dev.cwom.events.RunEvent");
                    })
                    .hasMessageContaining("dev.cwom.events.ArtifactCreated");
        }
        ArtifactCreated artifact = SampleEvents.artifact();
        assertThat(artifactsOnly.deserialize(Topics.ARTIFACTS, serializer().serialize(Topics.ARTIFACTS, artifact)))
                .isEqualTo(artifact);

        KafkaAvroDeserializer byName = new KafkaAvroDeserializer();
        byName.configure(config(Map.of(KafkaAvroDeserializer.EXPECTED_RECORDS,
                "dev.cwom.events.RunEvent, dev.cwom.events.ArtifactCreated")), false);
        assertThat(byName.deserialize(Topics.RUNS, run)).isInstanceOf(GenericRecord.class);
        assertThatThrownBy(() -> byName.deserialize("strings", serializer().serialize("strings", "text")))
                .isInstanceOf(UnexpectedRecordException.class).hasMessageContaining("(string)");
    }

    @Test
    void rejectsHugeBlockCountsAndLengthsAsCorruptWithoutSpendingOnThem() {
        Schema schema = new Schema.Parser().parse("""
                {"type":"record","name":"Blocks","namespace":"dev.cwom.test","fields":[
                 {"name":"nulls","type":{"type":"array","items":"null"}},
                 {"name":"longs","type":{"type":"array","items":"long"}},
                 {"name":"map","type":{"type":"map","values":"string"}},
                 {"name":"raw","type":"bytes"}]}""");
        byte[] valid = serializer().serialize("blocks", new GenericRecordBuilder(schema)
                .set("nulls", java.util.Arrays.asList(null, null)).set("longs", java.util.List.of(1L))
                .set("map", Map.of("k", "v")).set("raw", ByteBuffer.wrap(new byte[] {1})).build());
        byte[] header = Arrays.copyOf(valid, 5);
        KafkaAvroDeserializer deserializer = deserializer(false);
        assertThat(deserializer.deserialize("blocks", valid)).isInstanceOf(GenericRecord.class);

        java.util.List<byte[]> corrupt = java.util.List.of(
                // 2^40 nulls: no bytes to check them against, so only the cap on empty items stops the walk
                concat(header, varint(1L << 40), varint(0), varint(0), varint(0), varint(0)),
                // a billion longs in a few bytes
                concat(header, varint(0), varint(1_000_000_000L), varint(1), varint(0), varint(0), varint(0)),
                // a map of 2^31 entries
                concat(header, varint(0), varint(0), varint(1L << 31), varint(1), new byte[] {'k'}, varint(0)),
                // bytes of negative length, and of 2^50 bytes
                concat(header, varint(0), varint(0), varint(0), varint(-5)),
                concat(header, varint(0), varint(0), varint(0), varint(1L << 50)));
        for (byte[] bytes : corrupt) {
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () ->
                    assertThatThrownBy(() -> deserializer.deserialize("blocks", bytes))
                            .isInstanceOf(CorruptPayloadException.class)
                            .hasMessageContaining("dev.cwom.test.Blocks"));
        }
    }

    @Test
    void refusesNestingDeeperThanTheBoundOfARecursiveSchema() {
        Schema list = new Schema.Parser().parse("""
                {"type":"record","name":"Link","namespace":"dev.cwom.test","fields":[
                 {"name":"next","type":["null","Link"]}]}""");
        byte[] header = Arrays.copyOf(serializer().serialize("links",
                new GenericRecordBuilder(list).set("next", null).build()), 5);
        byte[] deep = new byte[5 + 100_000];
        System.arraycopy(header, 0, deep, 0, 5);
        Arrays.fill(deep, 5, deep.length - 1, (byte) 2); // union branch 1 (Link), again and again
        assertThatThrownBy(() -> deserializer(false).deserialize("links", deep))
                .isInstanceOf(CorruptPayloadException.class).hasMessageContaining("nested deeper");
    }

    @Test
    void theCachesKeepOnlyTheMostRecentlyUsedEntries() {
        BoundedCache<Integer, String> cache = new BoundedCache<>(2);
        cache.get(1, String::valueOf);
        cache.get(2, String::valueOf);
        cache.get(1, k -> "reloaded");
        cache.get(3, String::valueOf);
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get(1, k -> "reloaded")).isEqualTo("1");
        assertThat(cache.get(2, k -> "reloaded")).isEqualTo("reloaded");
    }

    private static byte[] varint(long value) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        long n = (value << 1) ^ (value >> 63);
        while ((n & ~0x7FL) != 0) {
            out.write((int) ((n & 0x7F) | 0x80));
            n >>>= 7;
        }
        out.write((int) n);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private Map<String, Object> config(Map<String, ?> extra) {
        Map<String, Object> config = new HashMap<>(extra);
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope);
        return config;
    }

    private KafkaAvroSerializer serializer() {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(config(Map.of()), false);
        return serializer;
    }

    private KafkaAvroDeserializer deserializer(boolean specific) {
        KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer();
        deserializer.configure(config(Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER, specific)), false);
        return deserializer;
    }
}
