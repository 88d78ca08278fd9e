package dev.cwom.model.schema;

import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import com.github.victools.jsonschema.module.jackson.JacksonSchemaModule;
import com.github.victools.jsonschema.module.jakarta.validation.JakartaValidationModule;
import com.github.victools.jsonschema.module.jakarta.validation.JakartaValidationOption;
import dev.cwom.json.CwomJson;
import dev.cwom.model.Artifact;
import dev.cwom.model.ConstraintSnapshot;
import dev.cwom.model.ContextPacket;
import dev.cwom.model.CwomObject;
import dev.cwom.model.DoctrineRef;
import dev.cwom.model.Issue;
import dev.cwom.model.Ref;
import dev.cwom.model.RefTo;
import dev.cwom.model.Repo;
import dev.cwom.model.Run;
import dev.cwom.model.Sha256Digest;
import dev.cwom.model.Ulid;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * Generates the JSON Schema (draft 2020-12) of each CWOM kind from the Java model: names and enum values as the
 * mapper writes them (Jackson module), required fields and bounds from Bean Validation, ULID and digest patterns from
 * CWOM's own constraints. The committed copies live in {@code src/main/resources/json-schema/}.
 */
final class CwomJsonSchemas {

    static final List<Class<? extends CwomObject>> KINDS = List.of(Repo.class, Issue.class, ContextPacket.class,
            ConstraintSnapshot.class, DoctrineRef.class, Run.class, Artifact.class);

    static final String ULID_PATTERN = "^[0-7][0-9A-HJKMNP-TV-Z]{25}$";
    static final String DIGEST_PATTERN = "^sha256:[0-9a-f]{64}$";
    /** ISO-8601 in UTC: {@code Z} or a zero offset; the reader refuses any other offset. */
    static final String UTC_TIMESTAMP_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-]00:00)$";

    private static final SchemaGenerator GENERATOR = new SchemaGenerator(config());

    private CwomJsonSchemas() {
    }

    /** The schema of one kind. */
    static ObjectNode generate(Class<? extends CwomObject> kind) {
        ObjectNode schema = GENERATOR.generateSchema(kind);
        ObjectNode ordered = CwomJson.mapper().createObjectNode();
        ordered.put("$schema", schema.get("$schema").asString());
        ordered.put("$id", "urn:cwom:v0.1:schema:" + kind.getSimpleName());
        ordered.put("title", kind.getSimpleName());
        ordered.put("description", "CWOM v0.1 " + kind.getSimpleName()
                + ", generated from dev.cwom.model; do not edit by hand");
        schema.properties().forEach(e -> {
            if (!e.getKey().equals("$schema")) {
                ordered.set(e.getKey(), e.getValue());
            }
        });
        return ordered;
    }

    /** The committed file's text for a kind: pretty-printed, with a final newline. */
    static String render(Class<? extends CwomObject> kind) {
        return CwomJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(generate(kind)) + "\n";
    }

    static String fileName(Class<? extends CwomObject> kind) {
        return kind.getSimpleName() + ".schema.json";
    }

    private static com.github.victools.jsonschema.generator.SchemaGeneratorConfig config() {
        SchemaGeneratorConfigBuilder builder = new SchemaGeneratorConfigBuilder(CwomJson.mapper(),
                SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
                .with(new JacksonSchemaModule(JacksonOption.FLATTENED_ENUMS_FROM_JSONVALUE))
                .with(new JakartaValidationModule(JakartaValidationOption.NOT_NULLABLE_FIELD_IS_REQUIRED))
                // The mapper refuses unknown fields, so the schema does too.
                .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT)
                .with(Option.STANDARD_FORMATS);
        // meta is free JSON: the one kind of object that takes any field.
        builder.forTypesInGeneral().withAdditionalPropertiesResolver(
                scope -> scope.getType().isInstanceOf(Map.class) ? Object.class : null);
        // The reader takes an explicit null wherever the model allows a field to be absent (JSpecify @Nullable on
        // the record component), so the schema allows null there too.
        builder.forFields().withNullableCheck(field -> field.getRawMember().getAnnotatedType()
                .isAnnotationPresent(Nullable.class) ? Boolean.TRUE : null);
        builder.forFields()
                .withStringPatternResolver(field -> {
                    if (field.getAnnotationConsideringFieldAndGetterIfSupported(Ulid.class) != null) {
                        return ULID_PATTERN;
                    }
                    if (field.getAnnotationConsideringFieldAndGetterIfSupported(Sha256Digest.class) != null) {
                        return DIGEST_PATTERN;
                    }
                    Pattern pattern = field.getAnnotationConsideringFieldAndGetterIfSupported(Pattern.class);
                    if (pattern != null) {
                        // Bean Validation matches the whole value, a JSON Schema pattern any part of it.
                        return "^(?:" + pattern.regexp() + ")$";
                    }
                    if (field.getType() != null && field.getType().isInstanceOf(Instant.class)) {
                        return UTC_TIMESTAMP_PATTERN;
                    }
                    return null;
                })
                .withInstanceAttributeOverride((attributes, field, context) -> {
                    Class<?> owner = field.getDeclaringType().getErasedType();
                    if (field.getName().equals("kind") && CwomObject.class.isAssignableFrom(owner)) {
                        attributes.put("const", owner.getSimpleName());
                    }
                    RefTo refTo = field.isFakeContainerItemScope()
                            ? field.getContainerItemAnnotationConsideringFieldAndGetterIfSupported(RefTo.class)
                            : field.getAnnotationConsideringFieldAndGetterIfSupported(RefTo.class);
                    if (refTo != null && field.getType().isInstanceOf(Ref.class)) {
                        // Next to the shared Ref definition: this field's Ref names one kind.
                        attributes.putObject("properties").putObject("kind").put("const",
                                refTo.value().getSimpleName());
                    }
                });
        return builder.build();
    }
}
