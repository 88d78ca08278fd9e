package dev.cwom.model.validation;

import dev.cwom.json.CwomJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Checks every value of an object as it will be written, including free-form maps such as {@code meta} and a task's
 * {@code inputs} that Bean Validation cannot see into: no string (value or key) may hold U+0000, which PostgreSQL
 * cannot store in text or jsonb, and no number may be beyond what canonical JSON (IEEE-754 doubles) can write, such
 * as {@code 1e400} that a reader turns into infinity.
 */
final class JsonValues {

    private JsonValues() {
    }

    static List<Violation> check(Object object) {
        List<Violation> out = new ArrayList<>();
        walk(CwomJson.mapper().valueToTree(object), "$", out);
        return out;
    }

    private static void walk(JsonNode node, String path, List<Violation> out) {
        if (node.isString()) {
            if (node.asString().indexOf('\u0000') >= 0) {
                out.add(new Violation(path, "contains the NUL character U+0000, which cannot be stored; remove it"));
            }
        } else if (node.isNumber()) {
            if (!Double.isFinite(node.doubleValue())) {
                out.add(new Violation(path, "is a number beyond the range of JSON numbers (about ±1.8e308) or not "
                        + "a number at all; send a finite number, or a string if the exact digits matter"));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "[" + i + "]", out);
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String key = field.getKey();
                if (key.indexOf('\u0000') >= 0) {
                    out.add(new Violation(path, "has a key containing the NUL character U+0000 ('"
                            + key.replace("\u0000", "\\u0000") + "'), which cannot be stored; remove it"));
                }
                walk(field.getValue(), path + "." + key.replace("\u0000", "\\u0000"), out);
            }
        }
    }
}
