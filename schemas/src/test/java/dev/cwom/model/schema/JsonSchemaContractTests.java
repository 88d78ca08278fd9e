package dev.cwom.model.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.model.CwomObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The committed JSON Schemas are the contract with everyone who reads CWOM JSON. A change to the model that changes a
 * schema fails here until it is accepted on purpose with
 * {@code ./mvnw -B -pl schemas test -Dtest=JsonSchemaContractTests -Dcwom.schema.update=true}.
 */
class JsonSchemaContractTests {

    static final Path COMMITTED = Path.of("src/main/resources/json-schema");
    static final String ACCEPT = "./mvnw -B -pl schemas test -Dtest=JsonSchemaContractTests -Dcwom.schema.update=true";

    static final List<Class<? extends CwomObject>> KINDS = CwomJsonSchemas.KINDS;

    @ParameterizedTest(name = "{0}")
    @FieldSource("KINDS")
    void theCommittedSchemaMatchesTheModel(Class<? extends CwomObject> kind) throws IOException {
        Path file = COMMITTED.resolve(CwomJsonSchemas.fileName(kind));
        String generated = CwomJsonSchemas.render(kind);
        if (Boolean.getBoolean("cwom.schema.update")) {
            Files.createDirectories(COMMITTED);
            Files.writeString(file, generated, StandardCharsets.UTF_8);
        }

        assertThat(file).as("%s is missing; generate it with: %s", file, ACCEPT).exists();
        assertThat(Files.readString(file, StandardCharsets.UTF_8))
                .as("The model changed the JSON Schema of %s (%s). If that is intended, accept it with: %s and "
                        + "commit the file; otherwise undo the model change.", kind.getSimpleName(), file, ACCEPT)
                .isEqualTo(generated);
    }

    @Test
    void thereIsOneCommittedSchemaPerKindAndNoOther() throws IOException {
        try (Stream<Path> files = Files.list(COMMITTED)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .as("files in %s", COMMITTED)
                    .containsExactlyInAnyOrderElementsOf(KINDS.stream().map(CwomJsonSchemas::fileName).toList());
        }
    }
}
