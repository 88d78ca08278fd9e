package dev.cwom.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.json.CwomJson;
import dev.cwom.model.Artifact;
import dev.cwom.model.ConstraintSnapshot;
import dev.cwom.model.ContextPacket;
import dev.cwom.model.CwomObject;
import dev.cwom.model.DoctrineRef;
import dev.cwom.model.Issue;
import dev.cwom.model.Repo;
import dev.cwom.model.Run;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Validation paths use {@link JsonNames}; the committed JSON Schemas use Jackson's own view of the records. Both must
 * name every field of every record the same, or a violation would point at a field the client never sent.
 */
class JsonNamesTests {

    @ParameterizedTest
    @ValueSource(classes = {Repo.class, Issue.class, ContextPacket.class, ConstraintSnapshot.class, DoctrineRef.class,
            Run.class, Artifact.class})
    void everyFieldOfEveryRecordHasTheNameTheSchemaGivesIt(Class<? extends CwomObject> kind) throws IOException {
        JsonNode schema;
        try (InputStream in = getClass().getResourceAsStream("/json-schema/" + kind.getSimpleName() + ".schema.json")) {
            schema = CwomJson.mapper().readTree(in);
        }
        List<String> mismatches = new ArrayList<>();

        compare(kind, schema, schema, "$", mismatches);

        assertThat(mismatches).isEmpty();
    }

    private static void compare(Class<?> type, JsonNode node, JsonNode root, String path, List<String> mismatches) {
        node = resolve(node, root);
        JsonNode properties = node.path("properties");
        for (RecordComponent component : type.getRecordComponents()) {
            String name = JsonNames.of(type, component.getName());
            JsonNode property = properties.get(name);
            if (property == null) {
                mismatches.add(path + ": " + type.getSimpleName() + "." + component.getName() + " is '" + name
                        + "' for validation but the schema has " + properties.propertyNames());
                continue;
            }
            Type generic = component.getGenericType();
            if (generic instanceof ParameterizedType p && p.getActualTypeArguments()[0] instanceof Class<?> element
                    && element.isRecord()) {
                compare(element, resolve(property, root).path("items"), root, path + "." + name + "[]", mismatches);
            } else if (component.getType().isRecord()) {
                compare(component.getType(), property, root, path + "." + name, mismatches);
            }
        }
    }

    private static JsonNode resolve(JsonNode node, JsonNode root) {
        if (node.has("allOf")) {
            // A type used once is inlined; the generator combines it with field-level additions (a Ref's kind).
            return resolve(node.get("allOf").get(0), root);
        }
        if (node.has("anyOf")) {
            // A nullable field: null or the type itself.
            for (JsonNode option : node.get("anyOf")) {
                if (!"null".equals(option.path("type").asString(""))) {
                    return resolve(option, root);
                }
            }
        }
        JsonNode ref = node.get("$ref");
        return ref == null ? node : resolve(root.at(ref.asString().substring(1)), root);
    }
}
