package dev.cwom.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.events.IssueSubmitted;
import dev.cwom.events.PinnedInput;
import dev.cwom.events.RecordRejected;
import dev.cwom.events.Topics;
import dev.cwom.events.WorkOrder;
import dev.cwom.ingest.IngestApiTest;
import dev.cwom.ingest.KafkaTopicReader;
import dev.cwom.json.CwomJson;
import dev.cwom.json.Digests;
import dev.cwom.model.ConstraintSnapshot;
import dev.cwom.model.ContextPacket;
import dev.cwom.model.CwomObject;
import dev.cwom.model.DoctrineRef;
import dev.cwom.model.Ids;
import dev.cwom.model.Issue;
import dev.cwom.model.Repo;
import dev.cwom.serde.AvroSerdeConfig;
import dev.cwom.serde.KafkaAvroSerializer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IssueIntakeTests extends IngestApiTest {

    static Submissions submissions;
    static KafkaTopicReader rejected;
    static KafkaTopicReader ready;

    @BeforeAll
    static void clients() {
        submissions = new Submissions();
        rejected = new KafkaTopicReader(Topics.ISSUES_REJECTED);
        ready = new KafkaTopicReader(Topics.ISSUES_READY);
    }

    @AfterAll
    static void close() {
        submissions.close();
        rejected.close();
        ready.close();
    }

    @Test
    void aValidSubmissionIsStoredWithItsInlineObjectsAndBecomesAWorkOrderWithMatchingDigests() {
        String issueId = Ids.newUlid();
        String slug = uniqueSlug("acme/intake");
        IssueSubmitted event = Submissions.event()
                .setRepoJson("{\"name\": \"Intake\", \"slug\": \"" + slug + "\"}")
                .setIssueJson("""
                        {"id": "%s", "title": "Fix the login", "type": "bug", "status": "ready",
                         "meta": {"executor": "noop"}}""".formatted(issueId))
                .setContextPacketsJson(List.of("{\"version\": \"1\", \"summary\": \"What we know\"}"))
                .setConstraintSnapshotJson("{\"scope\": \"run\", \"constraints\": {\"time\": {\"available_minutes\": 5}}}")
                .setDoctrineRefsJson(List.of("""
                        {"namespace": "intake-%s", "name": "small-prs", "version": "2", "type": "policy",
                         "statement": "Keep PRs small"}""".formatted(issueId.toLowerCase())))
                .build();
        String traceId = "8bf92f3577b34da6a3ce929d0e0e4736";
        submissions.send(issueId, event, "00-" + traceId + "-00f067aa0ba902b7-01");

        await().atMost(Duration.ofSeconds(30)).until(() -> !ready.withKey(issueId).isEmpty());
        ConsumerRecord<byte[], Object> record = ready.withKey(issueId).getFirst();
        WorkOrder order = (WorkOrder) record.value();
        // the submission's trace goes on: intake, the outbox row, the relay, the work order
        assertThat(order.getTraceId()).isEqualTo(traceId);
        assertThat(new String(record.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8))
                .startsWith("00-" + traceId + "-");
        assertThat(order.getRepoSlug()).isEqualTo(slug);
        assertThat(order.getExecutor()).isEqualTo("noop");
        assertThat(order.getRequestedBy()).isEqualTo("kafka:intake-tests");
        String policyRef = http.get("/cwom/admin/policy").json().get("doctrine_ref_id").asString();
        Map<String, PinnedInput> inputs = order.getInputs().stream()
                .filter(i -> !i.getId().equals(policyRef)) // the operator policy, checked in OperatorPolicyApiTests
                .collect(Collectors.toMap(PinnedInput::getKind, i -> i));
        assertThat(inputs).containsOnlyKeys(Repo.KIND, Issue.KIND, ContextPacket.KIND, ConstraintSnapshot.KIND,
                DoctrineRef.KIND);
        var detail = http.get("/cwom/issues/" + issueId).json();
        assertDigest(inputs.get(Issue.KIND), read(detail.get("issue"), Issue.class));
        assertDigest(inputs.get(ContextPacket.KIND), read(detail.get("context_packets").get(0), ContextPacket.class));
        assertDigest(inputs.get(ConstraintSnapshot.KIND), read(detail.get("constraint_snapshot"),
                ConstraintSnapshot.class));
        assertDigest(inputs.get(DoctrineRef.KIND), read(detail.get("doctrine_refs").get(0), DoctrineRef.class));
        assertDigest(inputs.get(Repo.KIND), read(http.get("/cwom/repos/" + order.getRepoId()).json(), Repo.class));
    }

    @Test
    void aSubmissionAskingBeyondThePolicyIsRejectedWithThePolicyCodeAndNothingIsStored() {
        String issueId = Ids.newUlid();
        String slug = uniqueSlug("acme/intake-policy");
        submissions.send(issueId, Submissions.event()
                .setRepoJson("{\"name\": \"Intake\", \"slug\": \"" + slug + "\"}")
                .setIssueJson(Submissions.issueJson(issueId, Ids.newUlid(), "ready").replace("\"bug\"", "\"research\""))
                .setConstraintSnapshotJson("{\"scope\": \"run\", \"meta\": {\"allow_network\": true}}")
                .build());

        await().atMost(Duration.ofSeconds(30)).until(() -> !rejected.withKey(issueId).isEmpty());
        RecordRejected rejection = (RecordRejected) rejected.withKey(issueId).getFirst().value();
        assertThat(rejection.getReasonCode()).isEqualTo("POLICY_NETWORK_FORBIDDEN");
        assertThat(rejection.getMessage()).contains("meta.allow_network");
        assertThat(count("SELECT count(*) FROM cwom_repos WHERE slug IN (:ids)", List.of(slug))).isZero();
        assertThat(count("SELECT count(*) FROM cwom_issues WHERE id IN (:ids)", List.of(issueId))).isZero();
    }

    @Test
    void producerRetriesNeverCreateDuplicates() {
        String repo = createRepo();
        String issueId = Ids.newUlid();
        IssueSubmitted first = Submissions.event().setIssueJson(Submissions.issueJson(issueId, repo, "ready"))
                .build();
        IssueSubmitted sameEventAgain = IssueSubmitted.newBuilder(first).build();
        IssueSubmitted sameIssueNewEvent = IssueSubmitted.newBuilder(first).setEventId(Ids.newUlid()).build();
        IssueSubmitted noIdFirst = Submissions.event().setIssueJson(Submissions.issueJson(null, repo, "planned"))
                .build();
        submissions.sendAll(issueId, List.of(first, sameEventAgain, sameIssueNewEvent, noIdFirst, noIdFirst));

        await().atMost(Duration.ofSeconds(30)).until(() -> count(
                "SELECT count(*) FROM intake_submissions WHERE event_id IN (:ids)",
                List.of(first.getEventId(), sameIssueNewEvent.getEventId(), noIdFirst.getEventId())) == 3);
        assertThat(count("SELECT count(*) FROM cwom_issues WHERE repo_id IN (:ids)", List.of(repo))).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM outbox WHERE aggregate_id IN (:ids)", List.of(issueId))).isEqualTo(1);
        assertThat(rejected.withKey(issueId)).isEmpty();
    }

    @Test
    void badRecordsGoToTheRejectedTopicWithTheirReasonWhileGoodOnesAroundThemGoThrough() throws Exception {
        String repo = createRepo();
        String conflicting = Ids.newUlid();
        Map<String, byte[]> bad = new LinkedHashMap<>();
        Map<String, String> expected = new LinkedHashMap<>();
        byte[] good = submissions.encode(Submissions.event()
                .setIssueJson(Submissions.issueJson(null, repo, "planned")).build());

        bad.put("magic", new byte[] {1, 0, 0, 0, 1, 2, 3});
        expected.put("magic", "WRONG_MAGIC_BYTE");
        bad.put("schema-id", new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 4, 6});
        expected.put("schema-id", "UNKNOWN_SCHEMA_ID");
        bad.put("truncated", Arrays.copyOf(good, 12));
        expected.put("truncated", "CORRUPT_PAYLOAD");
        bad.put("tombstone", null);
        expected.put("tombstone", "CORRUPT_PAYLOAD");
        bad.put("not-json", submissions.encode(Submissions.event().setIssueJson("{\"title\": ").build()));
        expected.put("not-json", "MALFORMED_JSON");
        bad.put("packet-array", submissions.encode(Submissions.event()
                .setIssueJson(Submissions.issueJson(null, repo, "planned")).setContextPacketsJson(List.of("[1]"))
                .build()));
        expected.put("packet-array", "MALFORMED_JSON");
        bad.put("no-title", submissions.encode(Submissions.event().setIssueJson("""
                {"repo": {"kind": "Repo", "id": "%s"}, "type": "bug"}""".formatted(repo)).build()));
        expected.put("no-title", "VALIDATION_FAILED");
        bad.put("bad-repo", submissions.encode(Submissions.event().setRepoJson("{\"name\": \"\", \"slug\": \"x\"}")
                .setIssueJson("{\"title\": \"t\", \"type\": \"bug\"}").build()));
        expected.put("bad-repo", "VALIDATION_FAILED");
        bad.put("neither", submissions.encode(Submissions.event().build()));
        expected.put("neither", "VALIDATION_FAILED");
        bad.put("bad-task", submissions.encode(Submissions.event().setTaskJson("{\"objective\": \"Do it\"}").build()));
        expected.put("bad-task", "VALIDATION_FAILED");
        bad.put("unknown-packet", submissions.encode(Submissions.event()
                .setIssueJson(Submissions.issueJson(null, repo, "planned"))
                .setContextPacketIds(List.of(Ids.newUlid())).build()));
        expected.put("unknown-packet", "UNKNOWN_REFERENCE");
        bad.put("unknown-repo", submissions.encode(Submissions.event()
                .setIssueJson(Submissions.issueJson(null, Ids.newUlid(), "planned")).build()));
        expected.put("unknown-repo", "UNKNOWN_REFERENCE");
        byte[] workOrder = workOrderBytes();
        bad.put("not-a-submission", workOrder);
        expected.put("not-a-submission", "SCHEMA_MISMATCH");
        // a WorkOrder's schema id before bytes that are no WorkOrder: refused by name, so never decoded
        byte[] workOrderHeaderThenGarbage = Arrays.copyOf(workOrder, 5 + 32);
        Arrays.fill(workOrderHeaderThenGarbage, 5, workOrderHeaderThenGarbage.length, (byte) 0xff);
        bad.put("other-type-garbage", workOrderHeaderThenGarbage);
        expected.put("other-type-garbage", "SCHEMA_MISMATCH");
        // an IssueSubmitted whose first string declares 2^40 bytes: corrupt, found before anything is allocated
        byte[] hugeLength = Arrays.copyOf(good, 5 + 6);
        System.arraycopy(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x40}, 0,
                hugeLength, 5, 6);
        bad.put("huge-length", hugeLength);
        expected.put("huge-length", "CORRUPT_PAYLOAD");

        submissions.send(conflicting, Submissions.event().setIssueJson(Submissions.issueJson(conflicting, repo,
                "planned")).build());
        bad.put("conflict", submissions.encode(Submissions.event().setIssueJson(Submissions.issueJson(conflicting,
                repo, "blocked")).build()));
        expected.put("conflict", "CONFLICT");

        String run = Ids.newUlid().toLowerCase();
        int goodCount = 0;
        for (Map.Entry<String, byte[]> entry : bad.entrySet()) {
            submissions.sendRaw(run + "-" + entry.getKey(), entry.getValue());
            submissions.sendRaw(run + "-good-" + goodCount++, submissions.encode(Submissions.event()
                    .setIssueJson(Submissions.issueJson(null, repo, "planned")).build()));
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                rejected.matching(r -> key(r).startsWith(run + "-")).stream().map(IssueIntakeTests::key))
                .containsExactlyInAnyOrderElementsOf(bad.keySet().stream().map(k -> run + "-" + k).toList()));
        for (ConsumerRecord<byte[], Object> record : rejected.matching(r -> key(r).startsWith(run + "-"))) {
            RecordRejected rejection = (RecordRejected) record.value();
            String name = key(record).substring(run.length() + 1);
            assertThat(rejection.getReasonCode()).as(name + ": " + rejection.getMessage())
                    .isEqualTo(expected.get(name));
            assertThat(rejection.getSourceTopic()).isEqualTo(Topics.ISSUES_SUBMITTED);
            assertThat(rejection.getSourceOffset()).isNotNegative();
            assertThat(bytes(rejection.getOriginalKey())).isEqualTo(key(record).getBytes(StandardCharsets.UTF_8));
            assertThat(bytes(rejection.getOriginalValue())).isEqualTo(bad.get(name));
            assertThat(rejection.getHeaders()).singleElement().satisfies(h -> {
                assertThat(h.getKey()).isEqualTo("test-key");
                assertThat(bytes(h.getValue())).isEqualTo(key(record).getBytes(StandardCharsets.UTF_8));
            });
            assertThat(rejection.getMessage()).isNotBlank();
        }
        RecordRejected noTitle = (RecordRejected) rejected.withKey(run + "-no-title").getFirst().value();
        assertThat(noTitle.getDetails()).containsKey("$.title");
        assertThat(noTitle.getMessage()).contains("$.title");

        int goods = goodCount;
        await().atMost(Duration.ofSeconds(30)).until(() -> count(
                "SELECT count(*) FROM cwom_issues WHERE repo_id IN (:ids)", List.of(repo)) == goods + 1);
    }

    private static byte[] workOrderBytes() {
        try (KafkaAvroSerializer byRecordName = new KafkaAvroSerializer()) {
            byRecordName.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, KafkaTopicReader.REGISTRY,
                    AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY, "RecordNameStrategy"), false);
            return byRecordName.serialize(Topics.ISSUES_SUBMITTED, WorkOrder.newBuilder().setEventId(Ids.newUlid())
                    .setOccurredAt(Instant.now()).setIssueId(Ids.newUlid()).setRepoId(Ids.newUlid()).setRepoSlug("a/b")
                    .setIssueType("bug").setPriority("P2").setTitle("t").setInputs(List.of()).build());
        }
    }

    private long count(String sql, List<String> ids) {
        return jdbc.sql(sql).param("ids", ids).query(Long.class).single();
    }

    private static String key(ConsumerRecord<byte[], Object> record) {
        return record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }

    private static <T> T read(tools.jackson.databind.JsonNode node, Class<T> type) {
        return CwomJson.mapper().treeToValue(node, type);
    }

    private static void assertDigest(PinnedInput input, CwomObject stored) {
        assertThat(Digests.sha256(input.getCanonicalJson().getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(input.getDigest());
        assertThat(input.getDigest()).isEqualTo(Digests.sha256(stored));
    }
}
