package dev.cwom.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every event schema must read data written with each of its released versions (BACKWARD), so that consumers can
 * be upgraded before producers and old records stay readable. How to add a version: avro-history/README.md.
 */
class AvroSchemaHistoryTests {

    private static final Path CURRENT = Path.of("src/main/avro");
    private static final Path HISTORY = Path.of("src/test/resources/avro-history");

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
