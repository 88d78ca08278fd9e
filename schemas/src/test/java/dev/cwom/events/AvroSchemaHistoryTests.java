package dev.cwom.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import dev.cwom.serde.TrustedAvroClasses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every event schema must read data written with each of its released versions (BACKWARD), so that consumers can
 * be upgraded before producers and old records stay readable. How to add a version: avro-history/README.md.
 */
class AvroSchemaHistoryTests {

    @BeforeAll
    static void trustTheGeneratedClasses() {
        TrustedAvroClasses.trustPackage(TrustedAvroClasses.CWOM_EVENTS);
    }

    private static final Path CURRENT = Path.of("src/main/avro");
    private static final Path HISTORY = Path.of("src/test/resources/avro-history");
    private static final Instant AT = Instant.parse("2026-11-25T10:15:30.123Z");

    @TestFactory
    Stream<DynamicTest> everyCurrentSchemaReadsAllItsReleasedVersions() throws IOException {
        List<Path> current = avscFiles(CURRENT);
        assertThat(current).as("schemas in %s", CURRENT.toAbsolutePath()).isNotEmpty();
        return current.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            Schema reader = parse(file);
            Path history = HISTORY.resolve(reader.getName());
            List<Path> versions = Files.isDirectory(history) ? avscFiles(history) : List.of();
            assertThat(versions)
                    .as("%s has no released versions: copy it to %s/v1.avsc (see avro-history/README.md)",
                            reader.getFullName(), history)
                    .isNotEmpty();
            for (Path version : versions) {
                assertThat(backwardIncompatibilities(reader, parse(version)))
                        .as("%s cannot read data written with %s", file, version)
                        .isEmpty();
            }
        }));
    }

    @Test
    void reportsARequiredFieldWithoutDefaultAsIncompatible() {
        Schema old = new Schema.Parser().parse("""
                {"type":"record","name":"E","namespace":"dev.cwom.events","fields":[{"name":"a","type":"string"}]}""");
        Schema added = new Schema.Parser().parse("""
                {"type":"record","name":"E","namespace":"dev.cwom.events","fields":[{"name":"a","type":"string"},
                 {"name":"b","type":"long"}]}""");

        assertThat(backwardIncompatibilities(added, old))
                .singleElement()
                .asString()
                .contains("READER_FIELD_MISSING_DEFAULT")
                .contains("b");
    }

    @Test
    void acceptsAFieldAddedWithADefault() {
        Schema old = new Schema.Parser().parse("""
                {"type":"record","name":"E","namespace":"dev.cwom.events","fields":[{"name":"a","type":"string"}]}""");
        Schema added = new Schema.Parser().parse("""
                {"type":"record","name":"E","namespace":"dev.cwom.events","fields":[{"name":"a","type":"string"},
                 {"name":"b","type":["null","string"],"default":null}]}""");

        assertThat(backwardIncompatibilities(added, old)).isEmpty();
    }

    @Test
    void runsAndArtifactsWrittenBeforeTagsAndMetaExistedReadWithNoneOfThem() throws IOException {
        RunEvent started = RunEvent.newBuilder()
                .setEventId("E").setOccurredAt(AT).setRunId("R").setIssueId("I").setRepoId("P").setWorkerId("w")
                .setPayload(RunStarted.newBuilder()
                        .setMode(RunMode.agent)
                        .setExecutor(new ExecutorInfo("agent", "a", null, null, List.of()))
                        .setContextPackets(List.of()).setDoctrineRefs(List.of())
                        .setPlanSteps(List.of("build"))
                        .setPlanRiskNotes(List.of("dropped by the v1 writer"))
                        .setStartedAt(AT)
                        .setTags(List.of("dropped too"))
                        .setMetaJson("{\"dropped\":true}")
                        .build())
                .build();
        ArtifactCreated artifact = ArtifactCreated.newBuilder()
                .setEventId("E").setOccurredAt(AT).setArtifactId("A").setRunId("R").setIssueId("I")
                .setType(ArtifactType.log).setTitle("log").setUri("https://example.org/log")
                .setTags(List.of("dropped")).setMetaJson("{\"dropped\":true}")
                .build();

        RunStarted read = (RunStarted) readWithCurrent(writtenAsV1(started, "RunEvent"), RunEvent.class)
                .getPayload();
        ArtifactCreated readArtifact = readWithCurrent(writtenAsV1(artifact, "ArtifactCreated"),
                ArtifactCreated.class);

        assertThat(read.getPlanSteps()).containsExactly("build");
        assertThat(read.getPlanRiskNotes()).isEmpty();
        assertThat(read.getTags()).isEmpty();
        assertThat(read.getMetaJson()).isNull();
        assertThat(readArtifact.getTitle()).isEqualTo("log");
        assertThat(readArtifact.getTags()).isEmpty();
        assertThat(readArtifact.getMetaJson()).isNull();
    }

    /** {@code record} as a producer with {@code avro-history/<name>/v1.avsc} would have written it. */
    private static WrittenAs writtenAsV1(SpecificRecord record, String name) throws IOException {
        Schema v1 = parse(HISTORY.resolve(name).resolve("v1.avsc"));
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(current, null);
        new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        // the current writer's record projected onto v1 (fields v1 does not know are left out), written with v1
        GenericRecord asV1 = new GenericDatumReader<GenericRecord>(record.getSchema(), v1)
                .read(null, DecoderFactory.get().binaryDecoder(current.toByteArray(), null));
        ByteArrayOutputStream old = new ByteArrayOutputStream();
        BinaryEncoder oldEncoder = EncoderFactory.get().binaryEncoder(old, null);
        new GenericDatumWriter<GenericRecord>(v1).write(asV1, oldEncoder);
        oldEncoder.flush();
        return new WrittenAs(v1, old.toByteArray());
    }

    private static <T extends SpecificRecord> T readWithCurrent(WrittenAs written, Class<T> type) throws IOException {
        SpecificData data = SpecificData.getForClass(type);
        return new SpecificDatumReader<T>(written.schema(), data.getSchema(type), data)
                .read(null, DecoderFactory.get().binaryDecoder(written.bytes(), null));
    }

    private record WrittenAs(Schema schema, byte[] bytes) {
    }

    /** Each problem as "TYPE at /location: message", as a reviewer needs to find it. */
    static List<String> backwardIncompatibilities(Schema reader, Schema writer) {
        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        return result.getResult().getIncompatibilities().stream()
                .map(AvroSchemaHistoryTests::describe)
                .collect(Collectors.toList());
    }

    private static String describe(Incompatibility i) {
        return i.getType() + " at " + i.getLocation() + ": " + i.getMessage();
    }

    private static List<Path> avscFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".avsc")).sorted().toList();
        }
    }

    private static Schema parse(Path file) {
        try {
            return new Schema.Parser().parse(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
