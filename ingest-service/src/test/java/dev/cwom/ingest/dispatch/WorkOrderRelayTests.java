package dev.cwom.ingest.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cwom.events.IssueCanceled;
import dev.cwom.events.PinnedInput;
import dev.cwom.events.Topics;
import dev.cwom.events.WorkOrder;
import dev.cwom.ingest.IngestApiTest;
import dev.cwom.ingest.IngestProperties;
import dev.cwom.ingest.KafkaTopicReader;
import dev.cwom.ingest.attempts.IssueAttempts;
import dev.cwom.json.CwomJson;
import dev.cwom.json.Digests;
import dev.cwom.model.ConstraintSnapshot;
import dev.cwom.model.ContextPacket;
import dev.cwom.model.CwomObject;
import dev.cwom.model.DoctrineRef;
import dev.cwom.model.Issue;
import dev.cwom.model.Repo;
import dev.cwom.service.tracing.TraceHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.support.SendResult;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

class WorkOrderRelayTests extends IngestApiTest {

    private static final String TRACE_ID = "6bf92f3577b34da6a3ce929d0e0e4736";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

    static KafkaTopicReader ready;

    @Autowired
    OutboxRelay relay;

    @Autowired
    WorkOrders workOrders;

    @Autowired
    IssueAttempts attempts;

    @Autowired
    KafkaTemplate<byte[], Object> cwomEventTemplate;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    TraceHeaders traces;

    @Autowired
    OutboxMetrics outboxMetrics;

    @BeforeAll
    static void reader() {
        ready = new KafkaTopicReader(Topics.ISSUES_READY);
    }

    @AfterAll
    static void closeReader() {
        ready.close();
    }

    @Test
    void aReadyIssueBecomesAWorkOrderWhoseDigestsMatchTheStoredObjects() {
        String repo = createRepo();
        String snapshot = createSnapshot();
        String doctrine = createDoctrine("acme-" + repo.toLowerCase());
        String issue = created(http.post("/cwom/issues", """
                {"repo": {"kind": "Repo", "id": "%s"}, "title": "Add login", "type": "feature", "status": "planned",
                 "constraints": {"kind": "ConstraintSnapshot", "id": "%s"},
                 "doctrine_refs": [{"kind": "DoctrineRef", "id": "%s"}], "meta": {"executor": "shell"}}"""
                .formatted(repo, snapshot, doctrine)));
        String packet = createPacket(issue, "1");
        assertThat(http.patch("/cwom/issues/" + issue + "/status", "{\"status\": \"ready\"}",
                "traceparent", TRACEPARENT).status()).isEqualTo(200);

        ConsumerRecord<byte[], Object> record = awaitWorkOrder(issue);
        WorkOrder order = (WorkOrder) record.value();
        String eventId = jdbc.sql("SELECT event_id FROM outbox WHERE aggregate_id = :id").param("id", issue)
                .query(String.class).single();
        assertThat(new String(record.headers().lastHeader(OutboxRelay.EVENT_ID_HEADER).value(),
                StandardCharsets.UTF_8)).isEqualTo(eventId);
        assertThat(order.getEventId()).isEqualTo(eventId);
        assertThat(order.getTraceId()).isEqualTo(TRACE_ID);
        // the relay continued the PATCH's trace (its own span) and says what the record is, CloudEvents-wise
        assertThat(header(record, "traceparent")).startsWith("00-" + TRACE_ID + "-");
        assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(record, "ce_id")).isEqualTo(eventId);
        assertThat(header(record, "ce_type")).isEqualTo("dev.cwom.issue.ready.v1");
        assertThat(header(record, "ce_source")).isEqualTo("/cwom/ingest");
        assertThat(header(record, "ce_subject")).isEqualTo(issue);
        assertThat(header(record, "ce_time")).isEqualTo(order.getOccurredAt().toString());
        assertThat(header(record, "content-type")).isEqualTo("application/avro");
        assertThat(order.getRepoId()).isEqualTo(repo);
        assertThat(order.getExecutor()).isEqualTo("shell");
        assertThat(order.getIssueType()).isEqualTo("feature");
        assertThat(order.getAttempt()).as("the Issue's first dispatch").isEqualTo(1);

        assertThat(order.getRequestedBy()).as("the principal of the test clients' token").isEqualTo("test-all");
        String policyRef = http.get("/cwom/admin/policy").json().get("doctrine_ref_id").asString();
        assertThat(order.getInputs()).as("the operator policy in force is pinned too")
                .anyMatch(input -> input.getId().equals(policyRef));
        Map<String, PinnedInput> inputs = order.getInputs().stream().filter(input -> !input.getId().equals(policyRef))
                .collect(Collectors.toMap(PinnedInput::getKind, input -> input));
        assertThat(inputs).containsOnlyKeys(Repo.KIND, Issue.KIND, ContextPacket.KIND, ConstraintSnapshot.KIND,
                DoctrineRef.KIND);
        assertPinned(inputs.get(Repo.KIND), stored("/cwom/repos/" + repo, Repo.class));
        assertPinned(inputs.get(Issue.KIND), CwomJson.mapper().treeToValue(http.get("/cwom/issues/" + issue).json().get("issue"), Issue.class));
        assertPinned(inputs.get(ContextPacket.KIND), stored("/cwom/context-packets/" + packet, ContextPacket.class));
        assertPinned(inputs.get(ConstraintSnapshot.KIND),
                stored("/cwom/constraint-snapshots/" + snapshot, ConstraintSnapshot.class));
        assertPinned(inputs.get(DoctrineRef.KIND), stored("/cwom/doctrine-refs/" + doctrine, DoctrineRef.class));
        assertThat(inputs.get(ContextPacket.KIND).getVersion()).isEqualTo("1");

        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql(
                "SELECT published_at IS NOT NULL FROM outbox WHERE event_id = :e").param("e", eventId)
                .query(Boolean.class).single());
    }

    @Test
    void aRelayKilledAfterTheIssueCommittedAndBeforePublishingStillPublishesAfterRestart() {
        relay.stop();
        try {
            String issue = createIssue(createRepo(), "ready");
            OutboxRelay dying = relayWith(new KafkaTemplate<>(producerFactory()) {
                @Override
                public CompletableFuture<SendResult<byte[], Object>> send(ProducerRecord<byte[], Object> record) {
                    throw new Killed();
                }
            }, Duration.ofSeconds(5));
            assertThatThrownBy(dying::relayOnce).isInstanceOf(Killed.class);
            assertThat(outboxRow(issue)).containsEntry("published", false).containsEntry("attempts", 0);
            assertThat(ready.withKey(issue)).isEmpty();
        } finally {
            relay.start();
        }
        String issue = jdbc.sql("SELECT aggregate_id FROM outbox ORDER BY id DESC LIMIT 1").query(String.class).single();
        awaitWorkOrder(issue);
        await().atMost(Duration.ofSeconds(10)).until(() -> (Boolean) outboxRow(issue).get("published"));
    }

    @Test
    void aWorkOrderWhoseAttemptWasWithdrawnBeforeTheRelayReachedItIsNotPublishedButItsWithdrawalIs() {
        relay.stop();
        String issue;
        try {
            issue = createIssue(createRepo(), "ready");
            assertThat(http.patch("/cwom/issues/" + issue + "/status", "{\"status\": \"planned\"}").status())
                    .isEqualTo(200);
            drain(relayWith(cwomEventTemplate, Duration.ofSeconds(10)));
        } finally {
            relay.start();
        }
        Map<String, Object> readyRow = jdbc.sql("SELECT published_at IS NOT NULL AS published, last_error FROM outbox"
                + " WHERE aggregate_id = :id AND event_type = 'IssueReady'").param("id", issue).query().singleRow();
        assertThat(readyRow).containsEntry("published", true);
        assertThat((String) readyRow.get("last_error")).contains("withdrawn");
        try (KafkaTopicReader canceled = new KafkaTopicReader(Topics.ISSUES_CANCELED)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !canceled.withKey(issue).isEmpty());
            IssueCanceled withdrawal = (IssueCanceled) canceled.withKey(issue).getFirst().value();
            assertThat(withdrawal.getWithdrawnThroughAttempt()).isEqualTo(1);
        }
        // the withdrawal was read after it was published, and the relay publishes in outbox order
        assertThat(ready.withKey(issue)).as("no work order for a withdrawn attempt").isEmpty();
    }

    @Test
    void aRowIsNotMarkedPublishedWithoutTheBrokersAck() {
        relay.stop();
        String issue;
        try {
            issue = createIssue(createRepo(), "ready");
            OutboxRelay unacknowledged = relayWith(new KafkaTemplate<>(producerFactory()) {
                @Override
                public CompletableFuture<SendResult<byte[], Object>> send(ProducerRecord<byte[], Object> record) {
                    return new CompletableFuture<>();
                }
            }, Duration.ofMillis(300));
            assertThat(unacknowledged.relayOnce()).isZero();
            assertThat(outboxRow(issue)).containsEntry("published", false).containsEntry("attempts", 1);
            assertThat((String) outboxRow(issue).get("last_error")).contains("no ack from the broker");
        } finally {
            relay.start();
        }
        awaitWorkOrder(issue);
    }

    @Test
    void twoRelaysShareTheOutboxAndPublishEveryRowOnce() throws Exception {
        relay.stop();
        List<String> issues;
        try {
            String repo = createRepo();
            issues = java.util.stream.IntStream.range(0, 12).mapToObj(i -> createIssue(repo, "ready")).toList();
            OutboxRelay first = relayWith(cwomEventTemplate, Duration.ofSeconds(10), 3);
            OutboxRelay second = relayWith(cwomEventTemplate, Duration.ofSeconds(10), 3);
            CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> drain(first));
            CompletableFuture<Integer> b = CompletableFuture.supplyAsync(() -> drain(second));
            assertThat(a.get() + b.get()).isEqualTo(issues.size());
        } finally {
            relay.start();
        }
        for (String issue : issues) {
            await().atMost(Duration.ofSeconds(20)).until(() -> !ready.withKey(issue).isEmpty());
            assertThat(ready.withKey(issue)).hasSize(1);
        }
    }

    @Test
    void aWorkOrderThatCannotBeBuiltIsParkedAfterItsAttemptsWhileTheRowsAroundItArePublishedOnce() {
        relay.stop();
        String before;
        String broken;
        String after;
        try {
            String repo = createRepo();
            before = createIssue(repo, "ready");
            broken = createIssue(repo, "planned");
            String packet = createPacket(broken, "1");
            assertThat(http.patch("/cwom/issues/" + broken + "/status", "{\"status\": \"ready\"}").status())
                    .isEqualTo(200);
            after = createIssue(repo, "ready");
            // the Issue still links the packet, but the packet is gone: its work order cannot be built
            new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
                jdbc.sql("SET LOCAL session_replication_role = replica").update();
                jdbc.sql("DELETE FROM cwom_context_packets WHERE id = :id").param("id", packet).update();
            });

            // a batch of 2 puts the broken row at the head of the second batch, ahead of a healthy one
            OutboxRelay relaying = relayWith(cwomEventTemplate, Duration.ofSeconds(10), 2, 3);
            for (int pass = 0; pass < 6; pass++) {
                relaying.relayOnce();
            }
        } finally {
            relay.start();
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> !ready.withKey(after).isEmpty());
        assertThat(ready.withKey(before)).hasSize(1);
        assertThat(ready.withKey(after)).hasSize(1);
        assertThat(ready.withKey(broken)).isEmpty();
        assertThat(outboxRow(before)).containsEntry("published", true);
        assertThat(outboxRow(after)).containsEntry("published", true);
        Map<String, Object> parked = outboxRow(broken);
        assertThat(parked).containsEntry("published", false).containsEntry("parked", true)
                .containsEntry("attempts", 3).containsEntry("failed_attempts", 3);
        assertThat((String) parked.get("parked_reason")).contains("parked after 3 failed attempts")
                .contains("could not build the work order").contains("ContextPacket");

        // the running relay skips it: no more attempts, no work order
        String marker = createIssue(createRepo(), "ready");
        awaitWorkOrder(marker);
        assertThat(outboxRow(broken)).containsEntry("attempts", 3).containsEntry("parked", true);
        assertThat(ready.withKey(broken)).isEmpty();
        assertThat(ready.withKey(before)).hasSize(1);
    }

    private static int drain(OutboxRelay relay) {
        int total = 0;
        for (int n = relay.relayOnce(); n > 0; n = relay.relayOnce()) {
            total += n;
        }
        return total;
    }

    private OutboxRelay relayWith(KafkaTemplate<byte[], Object> template, Duration ackTimeout) {
        return relayWith(template, ackTimeout, 50);
    }

    private OutboxRelay relayWith(KafkaTemplate<byte[], Object> template, Duration ackTimeout, int batch) {
        return relayWith(template, ackTimeout, batch, 5);
    }

    private OutboxRelay relayWith(KafkaTemplate<byte[], Object> template, Duration ackTimeout, int batch,
            int maxFailedAttempts) {
        return new OutboxRelay(jdbc, new TransactionTemplate(transactionManager), workOrders, attempts, template,
                new IngestProperties.Relay(false, Duration.ofMillis(100), batch, ackTimeout, maxFailedAttempts,
                        Duration.ofSeconds(1)),
                new OutboxWakeUp(jdbc), traces, outboxMetrics);
    }

    private static String header(ConsumerRecord<byte[], Object> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private ProducerFactory<byte[], Object> producerFactory() {
        return cwomEventTemplate.getProducerFactory();
    }

    private Map<String, Object> outboxRow(String issue) {
        return jdbc.sql("SELECT published_at IS NOT NULL AS published, attempts, last_error, failed_attempts, "
                + "parked_at IS NOT NULL AS parked, parked_reason FROM outbox WHERE aggregate_id = :id")
                .param("id", issue).query().singleRow();
    }

    private static ConsumerRecord<byte[], Object> awaitWorkOrder(String issue) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !ready.withKey(issue).isEmpty());
        return ready.withKey(issue).getFirst();
    }

    private <T> T stored(String path, Class<T> type) {
        return CwomJson.mapper().readValue(http.get(path).body(), type);
    }

    /** What the worker checks: the digest of the carried JSON, and that it is the stored object's digest. */
    private static void assertPinned(PinnedInput input, Object stored) {
        assertThat(Digests.sha256(input.getCanonicalJson().getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(input.getDigest());
        assertThat(input.getDigest()).isEqualTo(Digests.sha256((CwomObject) stored));
        assertThat(input.getId()).isEqualTo(((CwomObject) stored).id());
    }

    /** Stands for the process dying: not an exception any code path handles. */
    static final class Killed extends Error {
        Killed() {
            super("simulated kill between the Issue's commit and the publish");
        }
    }
}
