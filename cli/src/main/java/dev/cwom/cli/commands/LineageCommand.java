package dev.cwom.cli.commands;

import dev.cwom.cli.client.Api;
import dev.cwom.cli.client.ApiOptions;
import dev.cwom.cli.client.Output;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code lineage ARTIFACT}: where an Artifact came from ({@code GET /cwom/artifacts/{id}/lineage});
 * {@code lineage --digest D}: the Runs that pinned, and the Artifacts that hold, a digest ({@code GET /cwom/lineage}).
 */
@Command(name = "lineage", description = "Where an artifact came from, or who used a digest.")
public final class LineageCommand implements Runnable {

    @Mixin ApiOptions options;
    @Mixin LsCommand.Paging paging;
    @Spec CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Subject subject;

    static final class Subject {
        @Parameters(paramLabel = "ARTIFACT", description = "the Artifact's id") @Nullable String artifact;
        @Option(names = "--digest", paramLabel = "sha256:HEX", required = true,
                description = "every Run that pinned an input with this digest and every Artifact with it")
        @Nullable String digest;
    }

    @Override
    public void run() {
        if (subject.digest != null) {
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("digest", subject.digest);
            LsCommand.list(options, spec, paging, "/cwom/lineage", query, item -> "Run".equals(item.path("kind")
                    .asString())
                    ? "Run  " + item.path("run").path("status").asString() + "  issue "
                            + item.path("run").path("for_issue").path("id").asString()
                    : "Artifact  " + item.path("artifact").path("type").asString() + "  run "
                            + item.path("artifact").path("produced_by").path("id").asString() + "  "
                            + item.path("artifact").path("title").asString());
            return;
        }
        JsonNode lineage = options.api().get("/cwom/artifacts/" + Api.segment(subject.artifact) + "/lineage");
        Output out = options.out(spec);
        if (out.json()) {
            out.json(lineage);
            return;
        }
        JsonNode artifact = lineage.path("artifact");
        JsonNode run = lineage.path("run");
        out.line("Artifact " + artifact.path("id").asString() + "  " + artifact.path("type").asString() + "  "
                + artifact.path("digest").asString("-") + "  verification "
                + lineage.path("verification").path("status").asString("-"));
        out.line("produced by run " + run.path("id").asString() + "  " + run.path("status").asString()
                + (lineage.has("replay_of") ? "  (replay of " + lineage.path("replay_of").asString() + ")" : ""));
        out.line("issue " + lineage.path("issue").path("id").asString() + "  "
                + lineage.path("issue").path("title").asString());
        out.line("repo " + lineage.path("repo").path("id").asString() + "  "
                + lineage.path("repo").path("slug").asString());
        out.line("asked by " + lineage.path("requested_by").asString("-") + ", worker "
                + lineage.path("worker").asString("- (reported over REST)"));
        out.line("policy " + (lineage.has("policy") ? lineage.path("policy").path("namespace").asString() + "/"
                + lineage.path("policy").path("name").asString() + " version "
                + lineage.path("policy").path("version").asString() : "-"));
        out.line("inputs (from the " + lineage.path("inputs_from").asString().replace('_', ' ') + "):");
        for (JsonNode input : lineage.path("inputs")) {
            out.line("  " + input.path("kind").asString() + "  " + input.path("id").asString() + "  "
                    + input.path("version").asString("-") + "  " + input.path("digest").asString());
        }
        if (lineage.has("trace")) {
            out.line("trace " + lineage.path("trace").path("artifact_id").asString() + "  "
                    + lineage.path("trace").path("digest").asString("-") + "  (cwom trace " + run.path("id")
                    .asString() + ")");
        }
    }
}
