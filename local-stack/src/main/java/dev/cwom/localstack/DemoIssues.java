package dev.cwom.localstack;

import dev.cwom.events.IssueSubmitted;
import dev.cwom.json.CwomJson;
import dev.cwom.model.Ids;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The CWOM JSON of the demo's (and the end-to-end tests' and the benchmark's) issues: small but realistic objects.
 */
public final class DemoIssues {

    private DemoIssues() {
    }

    /** A new IssueSubmitted with event id, time and producer set. */
    public static IssueSubmitted.Builder event() {
        return IssueSubmitted.newBuilder().setEventId(Ids.newUlid()).setOccurredAt(Instant.now())
                .setProducer("local-stack-demo").setTraceId("trace-" + Ids.newUlid().toLowerCase());
    }

    /** A Repo whose policy allows the given tools (none: the policy says nothing about tools). */
    public static String repo(String slug, String... allowedTools) {
        return json(Map.of("kind", "Repo", "name", slug.substring(slug.indexOf('/') + 1), "slug", slug,
                "default_branch", "main", "visibility", "internal",
                "source", Map.of("system", "local-stack"),
                "owners", List.of(Map.of("actor_kind", "human", "actor_id", "demo-user")),
                "policy", Map.of("allowed_tools", List.of(allowedTools))));
    }

    /** A ready Issue without its repo (the submission's repo_json sets it); meta.executor when given. */
    public static String issue(@Nullable String id, String title, String type, @Nullable String executor) {
        return issueWithMeta(id, title, type, executor == null ? Map.of() : Map.of("executor", executor));
    }

    /** A ready research Issue for an agent: the http executor POSTs its work order to the webhook. */
    static String agentIssue(String id, String title, String webhookUrl) {
        return issueWithMeta(id, title, "research", Map.of("executor", "http", "webhook_url", webhookUrl));
    }

    private static String issueWithMeta(@Nullable String id, String title, String type, Map<String, String> meta) {
        ObjectNode issue = CwomJson.mapper().createObjectNode();
        if (id != null) {
            issue.put("id", id);
        }
        issue.put("kind", "Issue").put("title", title).put("type", type).put("priority", "P2").put("status", "ready");
        issue.putObject("acceptance").putArray("criteria").add("the run leaves a trace with its pinned inputs");
        if (!meta.isEmpty()) {
            ObjectNode node = issue.putObject("meta");
            meta.forEach(node::put);
        }
        return issue.toString();
    }

    /** A ContextPacket for the submitted Issue; shell commands in meta.commands when given. */
    public static String packet(String summary, @Nullable List<Object> commands) {
        ObjectNode packet = CwomJson.mapper().createObjectNode();
        packet.put("kind", "ContextPacket").put("version", "1").put("summary", summary)
                .put("instructions", "Record what you did in the trace.");
        if (commands != null) {
            packet.putObject("meta").set("commands", CwomJson.mapper().valueToTree(commands));
        }
        return packet.toString();
    }

    /** A run-scoped ConstraintSnapshot with a time budget and the allowed tools. */
    public static String constraints(int minutes, String... allowedTools) {
        return json(Map.of("kind", "ConstraintSnapshot", "scope", "run", "captured_at", Instant.now().toString(),
                "owner", Map.of("actor_kind", "system", "actor_id", "local-stack-demo"),
                "constraints", Map.of("time", Map.of("available_minutes", minutes),
                        "tools", Map.of("allowed", List.of(allowedTools)),
                        "environment", Map.of("connectivity", "ok"))));
    }

    /** The id of the Repo with this slug, created through REST when missing. */
    public static String restRepoId(StackClient client, String slug) {
        for (JsonNode repo : StackClient.items(client.get("/cwom/repos?slug=" + slug))) {
            return repo.path("id").asString();
        }
        return client.post("/cwom/repos", repo(slug)).path("id").asString();
    }

    /** A ready doc Issue (noop) for POST /cwom/issues. */
    static String restIssue(String repoId, String title) {
        return restIssue(null, repoId, title);
    }

    /** A ready doc Issue (noop) for POST /cwom/issues; with a client {@code id} the create is idempotent. */
    public static String restIssue(@Nullable String id, String repoId, String title) {
        ObjectNode issue = (ObjectNode) CwomJson.mapper().readTree(issue(id, title, "doc", null));
        issue.set("repo", CwomJson.mapper().valueToTree(Map.of("kind", "Repo", "id", repoId)));
        return issue.toString();
    }

    /** An analysis task (research, so noop) for POST /tasks/enqueue or IssueSubmitted.task_json. */
    static String task(String repoSlug, String objective, String idempotencyKey) {
        return json(Map.of("objective", objective, "operation", "analysis",
                "target", Map.of("repo", repoSlug, "ref", "main"),
                "constraints", Map.of("time_budget_seconds", 300, "allow_network", false, "allow_secrets", false),
                "inputs", Map.of("window_days", 7),
                "requested_by", Map.of("kind", "human", "id", "demo-user", "label", "Demo User"),
                "idempotency_key", idempotencyKey));
    }

    private static String json(Object value) {
        return CwomJson.mapper().writeValueAsString(value);
    }
}
