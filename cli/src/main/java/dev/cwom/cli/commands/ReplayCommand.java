package dev.cwom.cli.commands;

import dev.cwom.cli.client.Api;
import dev.cwom.cli.client.ApiOptions;
import dev.cwom.cli.client.Output;
import dev.cwom.json.CwomJson;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code replay RUN [--inputs current]}: {@code POST /cwom/runs/{id}/replay}, a new attempt of the Run's Issue on
 * exactly the inputs the Run's work order carried, or on today's (docs/provenance.md).
 */
@Command(name = "replay", description = "Run a Run again on exactly the inputs it was pinned to (or today's).")
public final class ReplayCommand implements Runnable {

    /** What to replay on. */
    enum Inputs { original, current }

    @Mixin ApiOptions options;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = "the Run's id")
    String run;

    @Option(names = "--inputs", paramLabel = "original|current", description = "original (default): the inputs the"
            + " Run's work order carried, same canonical JSON and digests; current: today's, listing what differs")
    Inputs inputs = Inputs.original;

    @Option(names = "--idempotency-key", paramLabel = "KEY", description = "repeating the command with the same key "
            + "answers the first replay and starts nothing more")
    @Nullable String idempotencyKey;

    @Override
    public void run() {
        ObjectNode body = CwomJson.mapper().createObjectNode();
        if (idempotencyKey != null) {
            body.put("idempotency_key", idempotencyKey);
        }
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("inputs", inputs == Inputs.current ? "current" : null);
        JsonNode answer = options.api().post(Api.withQuery("/cwom/runs/" + Api.segment(run) + "/replay", query),
                body);
        Output out = options.out(spec);
        if (out.json()) {
            out.json(answer);
            return;
        }
        out.line("Replay of run " + run + ": Issue " + answer.path("issue_id").asString() + ", attempt "
                + answer.path("attempt").asInt() + " (work order " + answer.path("work_order_event_id").asString()
                + "), " + answer.path("inputs").asString() + " inputs, policy version "
                + answer.path("policy").path("version").asString() + ", asked by "
                + answer.path("requested_by").asString());
        for (JsonNode input : answer.path("pinned")) {
            out.line("  " + input.path("kind").asString() + "  " + input.path("id").asString() + "  "
                    + input.path("version").asString("-") + "  " + input.path("digest").asString());
        }
        if (answer.has("differs")) {
            if (answer.path("differs").isEmpty()) {
                out.line("No input differs from the original's.");
            }
            for (JsonNode differ : answer.path("differs")) {
                out.line("differs: " + differ.path("kind").asString() + " " + differ.path("id").asString() + "  "
                        + differ.path("original_digest").asString("(none)") + " -> "
                        + differ.path("current_digest").asString("(none)"));
            }
        }
        out.note("The replay's run shows meta.replay_of = " + run + ": cwom ls runs --issue "
                + answer.path("issue_id").asString());
    }
}
