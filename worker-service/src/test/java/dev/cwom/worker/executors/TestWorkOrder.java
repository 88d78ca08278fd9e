package dev.cwom.worker.executors;

import dev.cwom.json.CwomJson;
import dev.cwom.json.Digests;
import dev.cwom.model.Ids;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the inputs of a work order as they arrive: CWOM JSON with its digest. */
public final class TestWorkOrder {

    public final String issueId = Ids.newUlid();
    public final String repoId = Ids.newUlid();
    public final String packetId = Ids.newUlid();
    public final String snapshotId = Ids.newUlid();
    public final String doctrineId = Ids.newUlid();

    private final Map<String, Object> issue = new LinkedHashMap<>();
    private final Map<String, Object> repo = new LinkedHashMap<>();
    private final Map<String, Object> packet = new LinkedHashMap<>();
    private final Map<String, Object> snapshot = new LinkedHashMap<>();
    private final Map<String, Object> constraints = new LinkedHashMap<>();
    private boolean withSnapshot;

    public TestWorkOrder() {
        issue.putAll(Map.of("id", issueId, "repo", Map.of("kind", "Repo", "id", repoId), "title", "Make it work",
                "type", "feature"));
        issue.put("meta", new LinkedHashMap<>());
        repo.putAll(Map.of("id", repoId, "name", "App", "slug", "acme/app"));
        packet.putAll(Map.of("id", packetId, "for_issue", Map.of("kind", "Issue", "id", issueId), "version", "1.2"));
        packet.put("meta", new LinkedHashMap<>());
        snapshot.putAll(Map.of("id", snapshotId, "scope", "run", "constraints", constraints));
        snapshot.put("meta", new LinkedHashMap<>());
    }

    public TestWorkOrder type(String type) {
        issue.put("type", type);
        return this;
    }

    @SuppressWarnings("unchecked")
    public TestWorkOrder issueMeta(String key, Object value) {
        ((Map<String, Object>) issue.get("meta")).put(key, value);
        return this;
    }

    @SuppressWarnings("unchecked")
    public TestWorkOrder packetMeta(String key, Object value) {
        ((Map<String, Object>) packet.get("meta")).put(key, value);
        return this;
    }

    public TestWorkOrder commands(Object... commands) {
        return packetMeta("commands", List.of(commands));
    }

    public TestWorkOrder allowed(String... tools) {
        return tools(List.of(tools), List.of());
    }

    public TestWorkOrder tools(List<String> allowed, List<String> blocked) {
        constraints.put("tools", Map.of("allowed", allowed, "blocked", blocked));
        withSnapshot = true;
        return this;
    }

    public TestWorkOrder repoAllowedTools(String... tools) {
        repo.put("policy", Map.of("allowed_tools", List.of(tools)));
        return this;
    }

    public TestWorkOrder minutes(double availableMinutes) {
        constraints.put("time", Map.of("available_minutes", availableMinutes));
        withSnapshot = true;
        return this;
    }

    public TestWorkOrder offline() {
        constraints.put("environment", Map.of("connectivity", "offline"));
        withSnapshot = true;
        return this;
    }

    public List<PinnedInput> inputs() {
        List<PinnedInput> inputs = new ArrayList<>();
        inputs.add(input("Issue", issueId, null, issue));
        inputs.add(input("Repo", repoId, null, repo));
        inputs.add(input("ContextPacket", packetId, "1.2", packet));
        if (withSnapshot) {
            inputs.add(input("ConstraintSnapshot", snapshotId, null, snapshot));
        }
        inputs.add(input("DoctrineRef", doctrineId, "3", Map.of("id", doctrineId, "namespace", "acme",
                "name", "tests-first", "version", "3", "type", "principle", "statement", "Write the test first.")));
        return inputs;
    }

    public ExecutionRequest request(String runId, Path workRoot) throws java.io.IOException {
        return ExecutionRequest.of(runId, inputs(), Files.createDirectories(workRoot.resolve(runId)));
    }

    public static PinnedInput input(String kind, String id, String version, Map<String, Object> object) {
        String json = CwomJson.mapper().writeValueAsString(object);
        return new PinnedInput(kind, id, version, Digests.sha256(json.getBytes(StandardCharsets.UTF_8)), json);
    }
}
