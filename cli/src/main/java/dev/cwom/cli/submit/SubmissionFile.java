package dev.cwom.cli.submit;

import dev.cwom.cli.client.CliException;
import dev.cwom.cli.client.ExitCodes;
import dev.cwom.json.CwomJson;
import dev.cwom.model.Ids;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * One submission as {@code cwom submit} reads it (docs/cli.md, "The submission file"): an {@code issue} with,
 * optionally, the {@code repo} it belongs to (found by slug or created), its {@code constraint_snapshot} and its
 * {@code context_packets}, each as the CWOM JSON of its kind, in YAML or JSON. The objects are checked by the
 * service, not here; here only the file's own shape. The Issue gets a ULID if it has none, so its id is known
 * before it is sent (Kafka intake answers nothing).
 */
public record SubmissionFile(@Nullable ObjectNode repo, ObjectNode issue, @Nullable ObjectNode constraintSnapshot,
                             List<ObjectNode> contextPackets) {

    private static final Set<String> KEYS = Set.of("repo", "issue", "constraint_snapshot", "context_packets");
    /** YAML is a superset of JSON: one reader for both. */
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    public String issueId() {
        return issue.get("id").asString();
    }

    /** The status the submitter asked for (CWOM's default: planned). */
    public String requestedStatus() {
        return issue.path("status").asString("planned");
    }

    public static SubmissionFile read(Path file) {
        JsonNode root;
        try {
            // Through the CWOM mapper's tree so that numbers and strings are what JSON would give.
            root = CwomJson.mapper().valueToTree(YAML.readValue(Files.readString(file), Object.class));
        } catch (java.io.IOException e) {
            throw new CliException(ExitCodes.ERROR, "Cannot read " + file + ": " + e.getMessage(), e);
        } catch (JacksonException e) {
            throw new CliException(ExitCodes.USAGE, file + " is neither YAML nor JSON: " + e.getOriginalMessage());
        }
        return of(root, file.toString());
    }

    static SubmissionFile of(@Nullable JsonNode root, String name) {
        if (root == null || !root.isObject()) {
            throw invalid(name, "$", "must be an object with `issue` (and optionally `repo`, `constraint_snapshot`,"
                    + " `context_packets`)");
        }
        for (String key : root.propertyNames()) {
            if (!KEYS.contains(key)) {
                throw invalid(name, "$." + key, "unknown key; the keys are " + KEYS);
            }
        }
        ObjectNode issue = object(root, "issue", name, true);
        ObjectNode repo = object(root, "repo", name, false);
        if (repo == null && !issue.has("repo")) {
            throw invalid(name, "$.issue.repo", "name the Issue's repo (a Ref {kind: Repo, id: ...}) or give a "
                    + "top-level `repo` with its slug");
        }
        if (repo != null && !repo.path("slug").isString()) {
            throw invalid(name, "$.repo.slug", "the repo is found (or created) by its slug: give one");
        }
        if (!issue.has("id")) {
            issue.put("id", Ids.newUlid());
        }
        List<ObjectNode> packets = new ArrayList<>();
        JsonNode list = root.path("context_packets");
        if (!list.isMissingNode() && !list.isArray()) {
            throw invalid(name, "$.context_packets", "must be a list of ContextPackets");
        }
        for (int i = 0; i < list.size(); i++) {
            if (!list.get(i).isObject()) {
                throw invalid(name, "$.context_packets[" + i + "]", "must be a ContextPacket object");
            }
            packets.add((ObjectNode) list.get(i));
        }
        return new SubmissionFile(repo, issue, object(root, "constraint_snapshot", name, false), packets);
    }

    private static @Nullable ObjectNode object(JsonNode root, String key, String name, boolean required) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            if (required) {
                throw invalid(name, "$." + key, "is required");
            }
            return null;
        }
        if (!node.isObject()) {
            throw invalid(name, "$." + key, "must be an object");
        }
        return (ObjectNode) node;
    }

    private static CliException invalid(String name, String path, String message) {
        return new CliException(ExitCodes.USAGE, name + ": " + path + " " + message);
    }
}
