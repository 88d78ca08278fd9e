package dev.cwom.model.validation;

import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import java.lang.reflect.Type;
import org.jspecify.annotations.Nullable;

/**
 * A JSON path into a CWOM object ({@code $.telemetry.ended_at}, {@code $.doctrine_refs[0].kind}), built from Java
 * property names and rendered in JSON names. Knows the Java type at each step, so names resolve through the owning
 * record's naming; a property that does not exist is a programming error and fails at once.
 */
final class JsonPath {

    private final String text;
    private final @Nullable Type type;

    private JsonPath(String text, @Nullable Type type) {
        this.text = text;
        this.type = type;
    }

    static JsonPath root(Class<?> type) {
        return new JsonPath("$", type);
    }

    /** The path of a Bean Validation property path, e.g. {@code constraints.time.availableMinutes}. */
    static JsonPath of(Class<?> rootType, Path propertyPath) {
        JsonPath path = root(rootType);
        for (Path.Node node : propertyPath) {
            if (node.isInIterable()) {
                if (node.getIndex() != null) {
                    path = path.index(node.getIndex());
                } else if (node.getKey() != null) {
                    path = path.key(String.valueOf(node.getKey()));
                } else {
                    path = path.element();
                }
            }
            if (node.getKind() == ElementKind.PROPERTY && node.getName() != null) {
                path = path.lenientField(node.getName());
            }
        }
        return path;
    }

    JsonPath field(String javaName) {
        Class<?> owner = JsonNames.rawClass(type);
        if (JsonNames.typeOf(owner, javaName) == null) {
            throw new IllegalArgumentException(owner.getName() + " has no property '" + javaName + "'");
        }
        return lenientField(javaName);
    }

    JsonPath index(int index) {
        return new JsonPath(text + "[" + index + "]", JsonNames.elementOf(type));
    }

    private JsonPath key(String key) {
        return new JsonPath(text + "." + key, JsonNames.elementOf(type));
    }

    private JsonPath element() {
        return new JsonPath(text, JsonNames.elementOf(type));
    }

    private JsonPath lenientField(String javaName) {
        Class<?> owner = JsonNames.rawClass(type);
        return new JsonPath(text + "." + JsonNames.of(owner, javaName), JsonNames.typeOf(owner, javaName));
    }

    @Override
    public String toString() {
        return text;
    }
}
