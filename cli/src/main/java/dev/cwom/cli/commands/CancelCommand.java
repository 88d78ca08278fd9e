package dev.cwom.cli.commands;

import dev.cwom.cli.client.Api;
import dev.cwom.cli.client.ApiOptions;
import dev.cwom.cli.client.Output;
import dev.cwom.json.CwomJson;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code cancel ISSUE}: the status PATCH to canceled, which also stops queued and running work (docs/api.md). */
@Command(name = "cancel", description = "Cancel an Issue and stop its work.")
public final class CancelCommand implements Runnable {

    @Mixin ApiOptions options;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ISSUE", description = "the Issue's id")
    String issue;

    @Option(names = "--reason", paramLabel = "TEXT", description = "why (kept with the cancellation, up to 2000 "
            + "characters)")
    @Nullable String reason;

    @Override
    public void run() {
        ObjectNode body = CwomJson.mapper().createObjectNode();
        body.put("status", "canceled");
        if (reason != null) {
            body.put("reason", reason);
        }
        JsonNode answer = options.api().patch("/cwom/issues/" + Api.segment(issue) + "/status", body);
        Output out = options.out(spec);
        if (out.json()) {
            out.json(answer);
        } else {
            out.line("Issue " + issue + " " + answer.path("status").asString("canceled"));
        }
    }
}
