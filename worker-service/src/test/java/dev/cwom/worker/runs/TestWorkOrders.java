package dev.cwom.worker.runs;

import dev.cwom.events.PinnedInput;
import dev.cwom.events.WorkOrder;
import dev.cwom.json.CanonicalJson;
import dev.cwom.json.CwomJson;
import dev.cwom.json.Digests;
import dev.cwom.model.DoctrineRef;
import dev.cwom.model.Ids;
import dev.cwom.policy.OperatorPolicy;
import dev.cwom.policy.PolicyDoctrine;
import dev.cwom.worker.executors.TestWorkOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.core.type.TypeReference;

/** Work orders as ingest's outbox relay publishes them: every input as canonical JSON with its digest. */
final class TestWorkOrders {

    private TestWorkOrders() {
    }

    /** A work order for a new Issue whose meta asks for {@code executor}. */
    static WorkOrder forExecutor(String executor) {
        String issueId = Ids.newUlid();
        String repoId = Ids.newUlid();
        String packetId = Ids.newUlid();
        String snapshotId = Ids.newUlid();
        String doctrineId = Ids.newUlid();
        Map<String, Object> issue = new LinkedHashMap<>(Map.of("id", issueId, "repo", Map.of("kind", "Repo", "id",
                repoId), "title", "Write the report", "type", "research", "meta", Map.of("executor", executor)));
        Map<String, Object> repo = Map.of("id", repoId, "name", "App", "slug", "acme/app");
        Map<String, Object> packet = Map.of("id", packetId, "for_issue", Map.of("kind", "Issue", "id", issueId),
                "version", "1.0", "summary", "what we know");
        Map<String, Object> snapshot = Map.of("id", snapshotId, "scope", "run",
                "constraints", Map.of("time", Map.of("available_minutes", 5)));
        Map<String, Object> doctrine = Map.of("id", doctrineId, "namespace", "acme", "name", "tests-first",
                "version", "3", "type", "principle", "statement", "Write the test first.");
        List<PinnedInput> inputs = new ArrayList<>();
        inputs.add(input("Issue", issueId, null, issue));
        inputs.add(input("Repo", repoId, null, repo));
        inputs.add(input("ContextPacket", packetId, "1.0", packet));
        inputs.add(input("ConstraintSnapshot", snapshotId, null, snapshot));
        inputs.add(input("DoctrineRef", doctrineId, "3", doctrine));
        return WorkOrder.newBuilder()
                .setEventId(Ids.newUlid())
                .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setTraceId(null)
                .setIssueId(issueId)
                .setRepoId(repoId)
                .setRepoSlug("acme/app")
                .setIssueType("research")
                .setPriority("P2")
                .setTitle("Write the report")
                .setExecutor(executor)
                .setInputs(inputs)
                .build();
    }

    /**
     * {@code count} work orders as a stream of them looks in production: each with its own Issue, ContextPacket and
     * run-scoped ConstraintSnapshot, all in one Repo and all pinning the same operator policy (a DoctrineRef).
     */
    static List<WorkOrder> inOneRepo(String executor, int count) {
        WorkOrder first = forExecutor(executor);
        String repoId = first.getRepoId();
        DoctrineRef doctrine = PolicyDoctrine.of(OperatorPolicy.parse("{\"executors\": [\"noop\", \"shell\", \"http\"]}"),
                1).withIdentity(Ids.newUlid(), Instant.parse("2026-01-01T00:00:00Z"),
                        Instant.parse("2026-01-01T00:00:00Z"));
        @SuppressWarnings("unchecked")
        Map<String, Object> policy = CwomJson.mapper().convertValue(doctrine, Map.class);
        PinnedInput pinnedPolicy = input(DoctrineRef.KIND, doctrine.id(), doctrine.version(), policy);
        PinnedInput repo = first.getInputs().stream().filter(i -> i.getKind().equals("Repo")).findFirst()
                .orElseThrow();
        List<WorkOrder> orders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            WorkOrder order = forExecutor(executor);
            String issueId = order.getIssueId();
            order.setRepoId(repoId);
            order.setInputs(List.of(
                    input("Issue", issueId, null, Map.of("id", issueId, "repo", Map.of("kind", "Repo", "id", repoId),
                            "title", "Write the report", "type", "research", "meta", Map.of("executor", executor))),
                    repo,
                    order.getInputs().get(2),
                    order.getInputs().get(3),
                    pinnedPolicy));
            orders.add(order);
        }
        return orders;
    }

    /** A work order carrying {@code inputs} (as the executors' tests build them) for their Issue and Repo. */
    static WorkOrder of(TestWorkOrder inputs) {
        WorkOrder order = forExecutor("noop");
        order.setIssueId(inputs.issueId);
        order.setRepoId(inputs.repoId);
        order.setExecutor(null);
        order.setInputs(inputs.inputs().stream().map(i -> new PinnedInput(i.kind(), i.id(), i.version(), i.digest(),
                i.canonicalJson())).toList());
        return order;
    }

    /**
     * The same work order with its Issue changed by {@code change} and pinned again: the digest matches the new
     * content, as if ingest had pinned it so.
     */
    static WorkOrder withIssue(WorkOrder order, Consumer<Map<String, Object>> change) {
        WorkOrder copy = WorkOrder.newBuilder(order).build();
        List<PinnedInput> inputs = new ArrayList<>();
        for (PinnedInput input : order.getInputs()) {
            if (input.getKind().equals("Issue")) {
                Map<String, Object> issue = CwomJson.mapper().readValue(input.getCanonicalJson(),
                        new TypeReference<LinkedHashMap<String, Object>>() { });
                change.accept(issue);
                inputs.add(input("Issue", input.getId(), input.getVersion(), issue));
            } else {
                inputs.add(PinnedInput.newBuilder(input).build());
            }
        }
        copy.setInputs(inputs);
        return copy;
    }

    /** The same work order with the ContextPacket's content changed after its digest was taken. */
    static WorkOrder tampered(WorkOrder order) {
        WorkOrder copy = WorkOrder.newBuilder(order).build();
        List<PinnedInput> inputs = new ArrayList<>();
        for (PinnedInput input : order.getInputs()) {
            PinnedInput changed = PinnedInput.newBuilder(input).build();
            if (input.getKind().equals("ContextPacket")) {
                changed.setCanonicalJson(input.getCanonicalJson().replace("what we know", "what we wish"));
            }
            inputs.add(changed);
        }
        copy.setInputs(inputs);
        return copy;
    }

    private static PinnedInput input(String kind, String id, String version, Map<String, Object> object) {
        String json = CanonicalJson.write(object);
        return new PinnedInput(kind, id, version, Digests.sha256(json.getBytes(StandardCharsets.UTF_8)), json);
    }
}
