package dev.cwom.worker.executors;

import dev.cwom.json.CwomJson;
import dev.cwom.model.ArtifactType;
import dev.cwom.model.FailureCategory;
import dev.cwom.model.Run;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The JSON an agent webhook answers with:
 * <pre>{@code
 * { "summary": "...",
 *   "artifacts": [ { "title": "...", "type": "report", "media_type": "application/json",
 *                    "content": "text or any JSON" | "content_base64": "..." | "uri": "https://..." } ],
 *   "decision_log": ["..."],                              (optional)
 *   "cost": { "usd": 0.01, "tokens": 1234 },               (optional)
 *   "failure": { "category": "test", "message": "..." } }  (optional: the agent ran, and the work failed)
 * }</pre>
 * Artifacts with content become files in the trace's {@code artifacts/http/}; those with a uri become links.
 * {@code type} defaults to {@code report}, {@code media_type} to {@code application/json} for JSON content and
 * {@code text/plain} otherwise.
 */
final class AgentAnswer {

    /** The most of an agent's own failure message that reaches {@code Run.failure}. */
    private static final int FAILURE_EXCERPT = 500;

    private final JsonNode root;

    private AgentAnswer(JsonNode root) {
        this.root = root;
    }

    static AgentAnswer parse(String body) {
        try {
            JsonNode root = CwomJson.mapper().readTree(body);
            if (root == null || !root.isObject()) {
                throw new InvalidAnswerException("its answer is not a JSON object; answer {\"summary\": ...,"
                        + " \"artifacts\": [...]}");
            }
            return new AgentAnswer(root);
        } catch (JacksonException e) {
            throw new InvalidAnswerException("its answer is not JSON: " + Excerpt.of(e.getOriginalMessage(), 200));
        }
    }

    ExecutionResult toResult(Path artifactsDir, List<String> decisions, double seconds) {
        List<ExecutionOutput> outputs = new ArrayList<>();
        JsonNode artifacts = root.path("artifacts");
        if (!artifacts.isMissingNode() && !artifacts.isArray()) {
            throw new InvalidAnswerException("its 'artifacts' is not a list");
        }
        int index = 0;
        for (JsonNode artifact : artifacts) {
            outputs.add(output(artifact, ++index, artifactsDir.resolve("http")));
        }
        List<String> log = new ArrayList<>(decisions);
        for (JsonNode line : root.path("decision_log")) {
            log.add("agent: " + line.asString());
        }
        JsonNode cost = root.path("cost");
        Run.Cost runCost = new Run.Cost(cost.path("usd").isNumber() ? cost.path("usd").asDouble() : null,
                cost.path("tokens").isNumber() ? cost.path("tokens").asLong() : null, seconds);
        String summary = root.path("summary").isString() ? root.path("summary").asString()
                : "http: agent answered with " + outputs.size() + " artifacts";
        JsonNode failure = root.path("failure");
        if (failure.isObject()) {
            FailureCategory category;
            try {
                category = FailureCategory.of(failure.path("category").asString("unknown"));
            } catch (IllegalArgumentException e) {
                throw new InvalidAnswerException("its failure category is invalid: " + e.getMessage());
            }
            return ExecutionResult.failure(category, "Agent reported failure: "
                    + Excerpt.of(failure.path("message").asString("(no message)"), FAILURE_EXCERPT), outputs, log,
                    runCost);
        }
        return ExecutionResult.success(outputs, summary, log, runCost);
    }

    private static ExecutionOutput output(JsonNode artifact, int index, Path dir) {
        if (!artifact.isObject() || !artifact.path("title").isString() || artifact.path("title").asString().isBlank()) {
            throw new InvalidAnswerException("artifact " + index + " has no 'title'");
        }
        String title = artifact.path("title").asString();
        ArtifactType type;
        try {
            type = ArtifactType.of(artifact.path("type").asString("report"));
        } catch (IllegalArgumentException e) {
            throw new InvalidAnswerException("artifact '" + title + "': " + e.getMessage());
        }
        JsonNode content = artifact.path("content");
        String mediaType = artifact.path("media_type").asString(
                content.isMissingNode() || content.isString() ? "text/plain" : "application/json");
        if (artifact.path("uri").isString()) {
            try {
                return ExecutionOutput.link(title, type, mediaType, new URI(artifact.path("uri").asString()));
            } catch (java.net.URISyntaxException e) {
                throw new InvalidAnswerException("artifact '" + title + "' has an invalid uri: " + e.getMessage());
            }
        }
        byte[] body;
        if (artifact.path("content_base64").isString()) {
            try {
                body = Base64.getDecoder().decode(artifact.path("content_base64").asString());
            } catch (IllegalArgumentException e) {
                throw new InvalidAnswerException("artifact '" + title + "' has invalid content_base64");
            }
        } else if (content.isString()) {
            body = content.asString().getBytes(StandardCharsets.UTF_8);
        } else if (!content.isMissingNode()) {
            body = CwomJson.mapper().writeValueAsBytes(content);
        } else {
            throw new InvalidAnswerException("artifact '" + title + "' has none of content, content_base64 and uri");
        }
        Path file = dir.resolve(String.format(Locale.ROOT, "%02d-%s", index, safeName(title)));
        try {
            Files.createDirectories(dir);
            Files.write(file, body);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write agent artifact " + file, e);
        }
        return ExecutionOutput.file(title, type, mediaType, file);
    }

    private static String safeName(String title) {
        String name = title.replaceAll("[^A-Za-z0-9._-]+", "_");
        return name.length() > 80 ? name.substring(0, 80) : name;
    }

    /** The answer is not what the contract says; the run fails with {@code dependency}. */
    static final class InvalidAnswerException extends RuntimeException {
        InvalidAnswerException(String message) {
            super(message);
        }
    }
}
