package dev.cwom.model.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.cwom.json.CanonicalJson;
import dev.cwom.json.CwomJson;
import dev.cwom.model.CwomObject;
import dev.cwom.model.Issue;
import dev.cwom.model.Run;
import dev.cwom.model.validation.CwomValidator;
import dev.cwom.testing.CwomExamples;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The committed schemas, as a third party would use them (from the classpath), accept what the model writes. */
class JsonSchemaExamplesTests {

    static final List<Class<? extends CwomObject>> KINDS = CwomJsonSchemas.KINDS;

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private static Schema schemaOf(Class<? extends CwomObject> kind) throws IOException {
        try (InputStream in = JsonSchemaExamplesTests.class.getResourceAsStream(
                "/json-schema/" + CwomJsonSchemas.fileName(kind))) {
            assertThat(in).as("json-schema/%s on the classpath", CwomJsonSchemas.fileName(kind)).isNotNull();
            return REGISTRY.getSchema(in);
        }
    }

    private static List<String> errors(Class<? extends CwomObject> kind, String json) throws IOException {
        return schemaOf(kind).validate(json, InputFormat.JSON).stream().map(Error::toString).toList();
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("KINDS")
    void theValidExampleAndItsCanonicalFormMatchTheSchema(Class<? extends CwomObject> kind) throws IOException {
        assertThat(errors(kind, CwomExamples.json(kind))).isEmpty();
        assertThat(errors(kind, CanonicalJson.write(CwomExamples.valid(kind)))).isEmpty();
    }

    @Test
    void theSchemaRefusesWhatTheValidatorRefuses() throws IOException {
        assertThat(errors(Issue.class, CwomExamples.with(Issue.class, "/priority", "urgent")))
                .singleElement().asString().contains("/priority");
        assertThat(errors(Issue.class, CwomExamples.with(Issue.class, "/nmae", "x")))
                .singleElement().asString().contains("nmae");
        assertThat(errors(Issue.class, CwomExamples.with(Issue.class, "/title", null)))
                .singleElement().asString().contains("title");
        assertThat(errors(Issue.class, CwomExamples.with(Issue.class, "/kind", "Run")))
                .singleElement().asString().contains("/kind");
        assertThat(errors(Run.class, CwomExamples.with(Run.class, "/for_issue/id", "run-1")))
                .singleElement().asString().contains("/for_issue/id");
        assertThat(errors(Run.class, CwomExamples.with(Run.class, "/inputs/context_packets/0/kind", "Issue")))
                .singleElement().asString().contains("/inputs/context_packets/0/kind");
        assertThat(errors(Issue.class, CwomExamples.with(Issue.class, "/repo/kind", "Issue")))
                .singleElement().asString().contains("/repo/kind");
        assertThat(errors(Run.class, CwomExamples.with(Run.class, "/created_at", "2026-01-25T12:30:00+02:00")))
                .singleElement().asString().contains("/created_at");
    }

    /** Explicit nulls where the model lets a field be absent: the reader takes them, so must the schema. */
    @Test
    void theSchemaTakesAnExplicitNullWhereTheModelTakesOne() throws IOException {
        String issue = CwomExamples.with(Issue.class, "/description", CwomJson.mapper().nullNode());
        String withoutConstraints = CwomExamples.with(Issue.class, "/constraints", CwomJson.mapper().nullNode());

        assertThat(CwomValidator.shared().validate(CwomValidator.shared().read(issue, Issue.class))).isEmpty();
        assertThat(errors(Issue.class, issue)).isEmpty();
        assertThat(errors(Issue.class, withoutConstraints)).isEmpty();
    }
}
