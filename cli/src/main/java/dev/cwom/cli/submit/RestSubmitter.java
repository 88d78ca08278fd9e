package dev.cwom.cli.submit;

import dev.cwom.cli.client.Api;
import dev.cwom.json.CwomJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Submits over REST in the order the API needs: the Repo (found by slug, else created), the ConstraintSnapshot, the
 * Issue (not yet ready), its ContextPackets, and only then the status asked for. Making the Issue ready last means
 * the work order, built from what is stored, always holds every ContextPacket.
 */
final class RestSubmitter {

    private final Api api;

    RestSubmitter(Api api) {
        this.api = api;
    }

    /** What was stored. */
    record Result(String issueId, @Nullable String repoId, @Nullable String constraintSnapshotId,
                  List<String> contextPacketIds, String status) {
    }

    Result submit(SubmissionFile file) {
        ObjectNode issue = file.issue().deepCopy();
        String repoId = null;
        if (file.repo() != null) {
            repoId = repo(file.repo());
            issue.set("repo", ref("Repo", repoId));
        }
        String snapshotId = null;
        if (file.constraintSnapshot() != null) {
            snapshotId = api.post("/cwom/constraint-snapshots", file.constraintSnapshot()).path("id").asString();
            issue.set("constraints", ref("ConstraintSnapshot", snapshotId));
        }
        String requested = file.requestedStatus();
        boolean readyLater = "ready".equals(requested);
        if (readyLater) {
            issue.put("status", "planned");
        }
        String issueId = api.post("/cwom/issues", issue).path("id").asString(file.issueId());
        List<String> packetIds = new ArrayList<>();
        for (ObjectNode packet : file.contextPackets()) {
            ObjectNode body = packet.deepCopy();
            body.set("for_issue", ref("Issue", issueId));
            packetIds.add(api.post("/cwom/context-packets", body).path("id").asString());
        }
        String status = readyLater
                ? api.patch("/cwom/issues/" + Api.segment(issueId) + "/status",
                        CwomJson.mapper().createObjectNode().put("status", "ready")).path("status").asString("ready")
                : requested;
        return new Result(issueId, repoId, snapshotId, packetIds, status);
    }

    private String repo(ObjectNode repo) {
        String slug = repo.get("slug").asString();
        JsonNode found = api.get(Api.withQuery("/cwom/repos", Map.of("slug", slug))).path("items");
        if (!found.isEmpty()) {
            return found.get(0).path("id").asString();
        }
        return api.post("/cwom/repos", repo).path("id").asString();
    }

    private static ObjectNode ref(String kind, String id) {
        return CwomJson.mapper().createObjectNode().put("kind", kind).put("id", id);
    }
}
