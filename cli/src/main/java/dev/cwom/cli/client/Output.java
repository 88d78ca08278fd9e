package dev.cwom.cli.client;

import dev.cwom.json.CwomJson;
import java.io.PrintWriter;
import tools.jackson.databind.JsonNode;

/**
 * What a command prints: results on stdout, in text or as JSON; messages for people and problems on stderr, so that
 * {@code --output json} on stdout stays parseable.
 */
public record Output(OutputFormat format, PrintWriter out, PrintWriter err) {

    public boolean json() {
        return format == OutputFormat.json;
    }

    /** A JSON result (pretty, one document). */
    public void json(JsonNode node) {
        out.println(CwomJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node));
        out.flush();
    }

    /** A JSON result on one line (a stream of them, e.g. watch's changes). */
    public void jsonLine(JsonNode node) {
        out.println(CwomJson.mapper().writeValueAsString(node));
        out.flush();
    }

    public void line(String text) {
        out.println(text);
        out.flush();
    }

    /** A note for people (stderr), whatever the format. */
    public void note(String text) {
        err.println(text);
        err.flush();
    }

    /** A problem+json answer, readable: title and status, detail, code, field errors and other members. */
    public static String describe(JsonNode problem) {
        StringBuilder text = new StringBuilder();
        text.append("Error: ").append(problem.path("title").asString("request refused"));
        if (problem.has("status")) {
            text.append(" (HTTP ").append(problem.path("status").asInt());
            if (problem.hasNonNull("code")) {
                text.append(", ").append(problem.path("code").asString());
            }
            text.append(')');
        }
        if (!problem.path("detail").asString("").isBlank()) {
            text.append("\n  ").append(problem.path("detail").asString());
        }
        for (JsonNode error : problem.path("errors")) {
            text.append("\n  - ").append(error.path("path").asString("?")).append(": ")
                    .append(error.path("message").asString(""));
        }
        for (String list : new String[] {"missing", "mismatched", "violations"}) {
            for (JsonNode item : problem.path(list)) {
                text.append("\n  - ").append(list).append(": ").append(item.isObject()
                        ? CwomJson.mapper().writeValueAsString(item) : item.asString());
            }
        }
        for (String field : new String[] {"allowed", "required_scope", "granted_scopes", "run_status"}) {
            if (problem.has(field)) {
                text.append("\n  ").append(field).append(": ").append(problem.get(field).toString());
            }
        }
        return text.toString();
    }
}
