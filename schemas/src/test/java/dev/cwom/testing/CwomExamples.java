package dev.cwom.testing;

import dev.cwom.json.CwomJson;
import dev.cwom.model.CwomObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A valid, fully populated example of each CWOM kind ({@code cwom-examples/<Kind>.json} on the test classpath, shared
 * through the schemas test-jar), and small helpers to derive invalid variants from them.
 */
public final class CwomExamples {

    private CwomExamples() {
    }

    /** The example's JSON text. */
    public static String json(Class<? extends CwomObject> kind) {
        String resource = "/cwom-examples/" + kind.getSimpleName() + ".json";
        try (InputStream in = CwomExamples.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("No example " + resource + " on the test classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The example as an object. */
    public static <T extends CwomObject> T valid(Class<T> kind) {
        return CwomJson.mapper().readValue(json(kind), kind);
    }

    /** The example as a mutable JSON tree. */
    public static ObjectNode tree(Class<? extends CwomObject> kind) {
        return (ObjectNode) CwomJson.mapper().readTree(json(kind));
    }

    /**
     * The example's JSON with the value at a JSON pointer replaced ({@code /telemetry/ended_at},
     * {@code /owners/0/actor_id}); a null {@code value} removes the field.
     */
    public static String with(Class<? extends CwomObject> kind, String pointer, Object value) {
        return with(tree(kind), pointer, value).toString();
    }

    /** Replaces (or, for a null value, removes) the value at a JSON pointer in {@code root}; returns root. */
    public static ObjectNode with(ObjectNode root, String pointer, Object value) {
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = slash == 0 ? root : root.at(pointer.substring(0, slash));
        String last = pointer.substring(slash + 1);
        JsonNode node = value instanceof JsonNode n ? n : CwomJson.mapper().valueToTree(value);
        if (parent instanceof ObjectNode object) {
            if (value == null) {
                object.remove(last);
            } else {
                object.set(last, node);
            }
        } else if (parent instanceof ArrayNode array) {
            if (value == null) {
                array.remove(Integer.parseInt(last));
            } else {
                array.set(Integer.parseInt(last), node);
            }
        } else {
            throw new IllegalArgumentException("No object or array at " + pointer.substring(0, Math.max(slash, 1)));
        }
        return root;
    }
}
