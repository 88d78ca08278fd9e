package dev.cwom.cli.commands;

import dev.cwom.cli.client.Api;
import dev.cwom.cli.client.ApiOptions;
import dev.cwom.cli.client.Output;
import dev.cwom.json.CwomJson;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code ls issues|runs|artifacts}: the API's lists with their filters, a page at a time or {@code --all}. */
@Command(name = "ls", description = "List issues, runs or artifacts.",
        subcommands = {LsCommand.Issues.class, LsCommand.Runs.class, LsCommand.Artifacts.class})
public final class LsCommand {

    /** Paging, shared by the lists (also lineage --digest). */
    static final class Paging {
        @Option(names = "--limit", paramLabel = "N", description = "items per page, 1..1000 (API default 100)")
        @Nullable Integer limit;

        @Option(names = "--cursor", paramLabel = "ID", description = "start after this id (the `next` of a page)")
        @Nullable String cursor;

        @Option(names = "--all", description = "follow `next` to the last page")
        boolean all;
    }

    @Command(name = "issues", description = "Issues, by id (creation order).")
    static final class Issues implements Runnable {
        @Mixin ApiOptions options;
        @Mixin Paging paging;
        @Spec CommandSpec spec;
        @Option(names = "--repo", paramLabel = "ID") @Nullable String repo;
        @Option(names = "--status", paramLabel = "STATUS", description = "planned, ready, running, blocked, done, "
                + "failed, canceled") @Nullable String status;
        @Option(names = "--type", paramLabel = "TYPE") @Nullable String type;
        @Option(names = "--priority", paramLabel = "P") @Nullable String priority;

        @Override
        public void run() {
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("repo_id", repo);
            query.put("status", status);
            query.put("type", type);
            query.put("priority", priority);
            list(options, spec, paging, "/cwom/issues", query,
                    item -> item.path("status").asString() + "  " + item.path("type").asString() + "  "
                            + item.path("title").asString());
        }
    }

    @Command(name = "runs", description = "Runs, by id (creation order).")
    static final class Runs implements Runnable {
        @Mixin ApiOptions options;
        @Mixin Paging paging;
        @Spec CommandSpec spec;
        @Option(names = "--issue", paramLabel = "ID") @Nullable String issue;
        @Option(names = "--repo", paramLabel = "ID") @Nullable String repo;
        @Option(names = "--status", paramLabel = "STATUS") @Nullable String status;

        @Override
        public void run() {
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("issue_id", issue);
            query.put("repo_id", repo);
            query.put("status", status);
            list(options, spec, paging, "/cwom/runs", query,
                    item -> item.path("status").asString() + "  issue " + item.path("for_issue").path("id")
                            .asString() + "  " + item.path("telemetry").path("started_at").asString(""));
        }
    }

    @Command(name = "artifacts", description = "The artifacts of a run or of an issue (the API lists them per run "
            + "or per issue).")
    static final class Artifacts implements Runnable {
        @Mixin ApiOptions options;
        @Mixin Paging paging;
        @Spec CommandSpec spec;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Owner owner;

        static final class Owner {
            @Option(names = "--run", paramLabel = "ID", required = true) @Nullable String run;
            @Option(names = "--issue", paramLabel = "ID", required = true) @Nullable String issue;
        }

        @Option(names = "--type", paramLabel = "TYPE", description = "e.g. trace, report") @Nullable String type;

        @Override
        public void run() {
            String path = owner.run != null ? "/cwom/runs/" + Api.segment(owner.run) + "/artifacts"
                    : "/cwom/issues/" + Api.segment(owner.issue) + "/artifacts";
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("type", type);
            list(options, spec, paging, path, query,
                    item -> item.path("type").asString() + "  " + item.path("verification").path("status")
                            .asString("") + "  " + item.path("digest").asString("-") + "  "
                            + item.path("title").asString());
        }
    }

    interface Line {
        String of(JsonNode item);
    }

    static void list(ApiOptions options, CommandSpec spec, Paging paging, String path, Map<String, Object> query,
            Line line) {
        Api api = options.api();
        Output out = options.out(spec);
        query.put("limit", paging.limit);
        query.put("cursor", paging.cursor);
        JsonNode page = api.get(Api.withQuery(path, query));
        ArrayNode items = CwomJson.mapper().createArrayNode();
        items.addAll((ArrayNode) page.path("items"));
        while (paging.all && page.hasNonNull("next")) {
            page = api.get(page.get("next").asString());
            items.addAll((ArrayNode) page.path("items"));
        }
        String next = page.hasNonNull("next") ? page.get("next").asString() : null;
        if (out.json()) {
            ObjectNode result = CwomJson.mapper().createObjectNode();
            result.set("items", items);
            if (next != null) {
                result.put("next", next);
            }
            out.json(result);
            return;
        }
        for (JsonNode item : items) {
            out.line(item.path("id").asString() + "  " + line.of(item));
        }
        if (next != null) {
            String cursor = next.replaceAll(".*[?&]cursor=([^&]*).*", "$1");
            out.note("more: --cursor " + cursor + " (or --all)");
        }
    }
}
