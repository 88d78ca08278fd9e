package dev.cwom.cli.commands;

import dev.cwom.cli.client.Api;
import dev.cwom.cli.client.ApiOptions;
import dev.cwom.cli.client.ApiProblem;
import dev.cwom.cli.client.CliException;
import dev.cwom.cli.client.ExitCodes;
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

/**
 * {@code show ID}: any CWOM object by its id. The API has no lookup by id alone, so each kind's {@code GET} is tried
 * in turn (the likeliest first) until one knows the id; {@code --kind} asks one kind only.
 */
@Command(name = "show", description = "Show an object of any kind by its id.")
public final class ShowCommand implements Runnable {

    /** Kind name (as --kind takes it) to its collection, in the order they are tried. */
    static final Map<String, String> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put("issue", "issues");
        KINDS.put("run", "runs");
        KINDS.put("artifact", "artifacts");
        KINDS.put("context-packet", "context-packets");
        KINDS.put("constraint-snapshot", "constraint-snapshots");
        KINDS.put("doctrine-ref", "doctrine-refs");
        KINDS.put("repo", "repos");
    }

    @Mixin ApiOptions options;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "the object's id (a ULID)")
    String id;

    @Option(names = "--kind", paramLabel = "KIND", description = "only this kind: ${COMPLETION-CANDIDATES}",
            completionCandidates = KindNames.class)
    @Nullable String kind;

    @Override
    public void run() {
        Api api = options.api();
        Output out = options.out(spec);
        if (kind != null && !KINDS.containsKey(kind)) {
            throw new CliException(ExitCodes.USAGE, "--kind must be one of " + KINDS.keySet());
        }
        for (Map.Entry<String, String> entry : KINDS.entrySet()) {
            if (kind != null && !kind.equals(entry.getKey())) {
                continue;
            }
            Api.Answer answer = api.tryGet("/cwom/" + entry.getValue() + "/" + Api.segment(id));
            if (answer.status() == 404) {
                continue;
            }
            if (answer.status() >= 300) {
                throw new ApiProblem(answer.status(), answer.body());
            }
            print(out, answer.body());
            return;
        }
        throw new CliException(ExitCodes.NOT_FOUND, "No " + (kind == null ? "object" : kind) + " with id " + id);
    }

    private static void print(Output out, JsonNode body) {
        if (out.json()) {
            out.json(body);
            return;
        }
        // An Issue comes with its related objects; the summary line names the object itself.
        JsonNode object = body.has("issue") ? body.get("issue") : body;
        out.line(object.path("kind").asString() + " " + object.path("id").asString() + "  "
                + object.path("status").asString(object.path("type").asString("")) + "  "
                + object.path("title").asString(object.path("name").asString("")));
        out.line(CwomJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(body));
    }

    /** The kinds, for --help and shell completion. */
    static final class KindNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return KINDS.keySet().iterator();
        }
    }
}
