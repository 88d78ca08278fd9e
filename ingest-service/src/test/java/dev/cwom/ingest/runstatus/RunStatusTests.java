package dev.cwom.ingest.runstatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.events.ExecutorInfo;
import dev.cwom.events.RecordRejected;
import dev.cwom.events.RunEvent;
import dev.cwom.events.RunFinished;
import dev.cwom.events.RunHeartbeat;
import dev.cwom.events.RunMode;
import dev.cwom.events.RunOutcome;
import dev.cwom.events.RunStarted;
import dev.cwom.events.Topics;
import dev.cwom.ingest.Http;
import dev.cwom.ingest.IngestApiTest;
import dev.cwom.ingest.KafkaTopicReader;
import dev.cwom.model.Ids;
import dev.cwom.serde.AvroSerdeConfig;
import dev.cwom.serde.KafkaAvroSerializer;
import dev.cwom.testing.SharedKafka;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RunStatusTests extends IngestApiTest {

    static KafkaProducer<String, Object> producer;
    static KafkaProducer<String, byte[]> rawProducer;
    static KafkaTopicReader rejected;
    static Admin admin;

    @BeforeAll
    static void clients() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, KafkaAvroSerializer.class,
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, KafkaTopicReader.REGISTRY));
        rawProducer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedKafka.bootstrapServers(), ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        rejected = new KafkaTopicReader(Topics.RUNS_REJECTED);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()));
    }

    @AfterAll
    static void close() {
        producer.close();
        rawProducer.close();
        rejected.close();
        admin.close();
    }

    @Test
    void anIssueMovesFromReadyToRunningToDoneAndListsItsRun() {
        String repo = createRepo();
        String issue = createIssue(repo, "ready");
        String run = Ids.newUlid();

        send(started(issue, repo, run));
        awaitStatus(issue, "running");
        assertThat(runsOf(issue)).containsExactly(run);
        send(heartbeat(issue, repo, run));
        send(finished(issue, repo, run, RunOutcome.done));
        awaitStatus(issue, "done");
        assertThat(runsOf(issue)).containsExactly(run);
    }

    @Test
    void outOfOrderEventsAndOlderAttemptsNeverWinOverTheLatestAttempt() {
        String repo = createRepo();
        String issue = createIssue(repo, "ready");
        String older = Ids.newUlid();
        String newer = Ids.newUlid();

        // the newer attempt's end arrives before its start, and the older attempt's events come last
        send(finished(issue, repo, newer, RunOutcome.failed));
        awaitStatus(issue, "failed");
        send(started(issue, repo, newer));
        send(started(issue, repo, older));
        send(heartbeat(issue, repo, older));
        String marker = createIssue(repo, "ready");
        String markerRun = Ids.newUlid();
        send(started(marker, repo, markerRun));
        awaitStatus(marker, "running");
        await().atMost(Duration.ofSeconds(20)).until(() -> runsOf(issue).size() == 2);
        assertThat(status(issue)).isEqualTo("failed");
        assertThat(runsOf(issue)).containsExactly(older, newer);

        String latest = Ids.newUlid();
        send(started(issue, repo, latest));
        awaitStatus(issue, "running");
        send(finished(issue, repo, older, RunOutcome.done));
        send(finished(issue, repo, latest, RunOutcome.canceled));
        awaitStatus(issue, "canceled");
        assertThat(runsOf(issue)).containsExactly(older, newer, latest);
    }

    @Test
    void aRunPostedWithTheHighestIdThatFailedDoesNotPinTheIssueOnceALaterAttemptRuns() {
        String repo = createRepo();
        String issue = createIssue(repo, "ready");
        String highest = "7ZZZZZZZZZZZZZZZZZZZZZZZZZ";
        Http.Response post = http.post("/cwom/runs", """
                {"id": "%s", "for_issue": {"kind": "Issue", "id": "%s"}, "repo": {"kind": "Repo", "id": "%s"},
                 "mode": "human", "status": "failed", "failure": {"category": "test", "message": "red"}}"""
                .formatted(highest, issue, repo));
        assertThat(post.status()).as(post.toString()).isEqualTo(202);
        awaitStatus(issue, "failed");

        assertThat(http.patch("/cwom/issues/" + issue + "/status", "{\"status\": \"ready\"}").status())
                .isEqualTo(200);
        int attempt = jdbc.sql("SELECT CAST(payload ->> 'attempt' AS integer) FROM outbox WHERE aggregate_id = :id"
                + " AND event_type = 'IssueReady' ORDER BY id DESC LIMIT 1").param("id", issue)
                .query(Integer.class).single();
        assertThat(attempt).as("dispatch 1, the REST run 2, this dispatch 3").isEqualTo(3);
        String run = Ids.newUlid();
        send(numbered(started(issue, repo, run), attempt));
        awaitStatus(issue, "running");
        send(numbered(finished(issue, repo, run, RunOutcome.done), attempt));
        awaitStatus(issue, "done");
    }

    @Test
    void aWorkerWhoseRunIdsSortLowerStillDecidesWhenItRunsTheLatestAttempt() {
        String repo = createRepo();
        String issue = createIssue(repo, "ready");
        String first = Ids.newUlid();
        send(numbered(started(issue, repo, first), 1));
        send(numbered(finished(issue, repo, first, RunOutcome.failed), 1));
        awaitStatus(issue, "failed");

        // a worker whose clock is behind: its run id's time part is far in the past
        String behind = "0000000000" + Ids.newUlid().substring(10);
        send(numbered(started(issue, repo, behind), 2));
        awaitStatus(issue, "running");
        // an event of a producer that does not number attempts ranks below every numbered one, whatever its id
        String unnumbered = Ids.newUlid();
        send(finished(issue, repo, unnumbered, RunOutcome.failed));
        send(numbered(finished(issue, repo, behind, RunOutcome.done), 2));
        awaitStatus(issue, "done");
        await().atMost(Duration.ofSeconds(20)).until(() -> runsOf(issue).size() == 3);
        assertThat(status(issue)).isEqualTo("done");
    }

    @Test
    void aRunOfAWithdrawnAttemptNeverMovesTheIssueFromTheStatusItWasLastMovedTo() {
        String repo = createRepo();
        String issue = createIssue(repo, "ready");
        assertThat(http.patch("/cwom/issues/" + issue + "/status", "{\"status\": \"planned\"}").status())
                .isEqualTo(200);

        // a worker took attempt 1 before it learned of the withdrawal; it is stopped and ends canceled
        String withdrawn = Ids.newUlid();
        send(numbered(started(issue, repo, withdrawn), 1));
        awaitConsumed(send(numbered(finished(issue, repo, withdrawn, RunOutcome.canceled), 1)));
        assertThat(runsOf(issue)).containsExactly(withdrawn);
        assertThat(status(issue)).isEqualTo("planned");
        assertThat(cancellationsOf(issue)).as("a withdrawn run's cancel does not cancel the Issue").isEmpty();

        // the next time it is ready, its new attempt moves it again
        assertThat(http.patch("/cwom/issues/" + issue + "/status", "{\"status\": \"ready\"}").status())
                .isEqualTo(200);
        String next = Ids.newUlid();
        send(numbered(started(issue, repo, next), 2));
        awaitStatus(issue, "running");
    }

    @Test
    void anEventForAnUnknownIssueIsRejectedWithItsReasonAndLaterEventsStillApply() {
        String repo = createRepo();
        String issue = createIssue(repo, "ready");
        RunEvent unknown = started(Ids.newUlid(), repo, Ids.newUlid());
        send(unknown);
        send(started(issue, repo, Ids.newUlid()));
        awaitStatus(issue, "running");

        RecordRejected rejection = awaitRejected(unknown.getRunId());
        assertThat(rejection.getReasonCode()).isEqualTo("UNKNOWN_REFERENCE");
        assertThat(rejection.getMessage()).contains(unknown.getIssueId());
    }

    @Test
    void anUndecodableRunEventLandsOnTheRejectedTopicWithItsBytesWhileGoodEventsAroundItMoveTheirIssues() {
        String repo = createRepo();
        String first = createIssue(repo, "ready");
        String second = createIssue(repo, "ready");
        String badKey = Ids.newUlid();
        byte[] garbage = "not a RunEvent at all".getBytes(StandardCharsets.UTF_8);
        byte[] wrongEvent = new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 4, 6};
        String unknownSchemaKey = Ids.newUlid();

        String firstRun = Ids.newUlid();
        send(started(first, repo, firstRun));
        // same keys as the good events, so they sit on the same partitions between them
        sendRaw(firstRun, garbage);
        sendRaw(badKey, garbage);
        sendRaw(unknownSchemaKey, wrongEvent);
        send(finished(first, repo, firstRun, RunOutcome.done));
        send(started(second, repo, Ids.newUlid()));

        awaitStatus(first, "done");
        awaitStatus(second, "running");
        for (String key : List.of(firstRun, badKey)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> rejected.withKey(key).stream()
                    .anyMatch(r -> ((RecordRejected) r.value()).getOriginalValue() != null
                            && ((RecordRejected) r.value()).getReasonCode().equals("WRONG_MAGIC_BYTE")));
        }
        RecordRejected rejection = awaitRejected(badKey);
        assertThat(rejection.getReasonCode()).isEqualTo("WRONG_MAGIC_BYTE");
        assertThat(rejection.getSourceTopic()).isEqualTo(Topics.RUNS);
        assertThat(bytes(rejection.getOriginalValue())).isEqualTo(garbage);
        assertThat(bytes(rejection.getOriginalKey())).isEqualTo(badKey.getBytes(StandardCharsets.UTF_8));
        assertThat(rejection.getMessage()).isNotBlank();
        assertThat(awaitRejected(unknownSchemaKey).getReasonCode()).isEqualTo("UNKNOWN_SCHEMA_ID");
        assertThat(rejected.withKey(badKey)).hasSize(1);
    }

    @Test
    void theEarliestFinishOfARunWinsWhicheverArrivesFirstAsInTheSink() {
        String repo = createRepo();
        String issue = createIssue(repo, "ready");
        String run = Ids.newUlid();
        Instant start = Instant.now();
        send(started(issue, repo, run));

        // the failure happened later but is read first
        send(finishedAt(issue, repo, run, RunOutcome.failed, start.plusSeconds(20)));
        awaitStatus(issue, "failed");
        RunEvent done = finishedAt(issue, repo, run, RunOutcome.done, start.plusSeconds(10));
        send(done);
        awaitStatus(issue, "done");

        // a still later finish changes nothing
        awaitConsumed(send(finishedAt(issue, repo, run, RunOutcome.canceled, start.plusSeconds(30))));
        assertThat(status(issue)).isEqualTo("done");
        assertThat(jdbc.sql("SELECT terminal_event_id FROM ingest_issue_runs WHERE run_id = :run").param("run", run)
                .query(String.class).single()).isEqualTo(done.getEventId());
    }

    @Test
    void runEventsNeverMoveACanceledIssue() {
        CanceledWhileRunning canceled = canceledWhileRunning();
        String repo = canceled.repo();
        String issue = canceled.issue();
        String run = canceled.run();

        awaitConsumed(send(heartbeat(issue, repo, run)));
        assertThat(status(issue)).isEqualTo("canceled");
        awaitConsumed(send(finished(issue, repo, run, RunOutcome.done)));
        assertThat(status(issue)).isEqualTo("canceled");
        String retry = Ids.newUlid();
        awaitConsumed(send(started(issue, repo, retry)));
        assertThat(status(issue)).isEqualTo("canceled");
        // the runs are still recorded and listed
        assertThat(runsOf(issue)).containsExactly(run, retry);
    }

    @Test
    void aWorkersCanceledRunOfACanceledIssueKeepsItCanceledAndRecordsNoSecondCancellation() {
        CanceledWhileRunning canceled = canceledWhileRunning();
        String repo = canceled.repo();
        String issue = canceled.issue();
        String run = canceled.run();

        // what a worker publishes when it stopped the run because of the cancellation
        awaitConsumed(send(finished(issue, repo, run, RunOutcome.canceled)));

        assertThat(status(issue)).isEqualTo("canceled");
        assertThat(jdbc.sql("SELECT state FROM ingest_issue_runs WHERE run_id = :run").param("run", run)
                .query(String.class).single()).isEqualTo("canceled");
        assertThat(cancellationsOf(issue)).as("the PATCH's cancellation, which gave no reason, and no other")
                .singleElement().isNull();
    }

    @Test
    void aRunThatEndsCanceledCancelsItsIssueAndRecordsItsCancellationForTheWorkers() {
        String repo = createRepo();
        String issue = createIssue(repo, "ready");
        String run = Ids.newUlid();
        send(started(issue, repo, run));
        awaitStatus(issue, "running");

        send(finished(issue, repo, run, RunOutcome.canceled));
        awaitStatus(issue, "canceled");

        assertThat(cancellationsOf(issue)).containsExactly("run " + run + " finished canceled");
    }

    /** The reasons of the Issue's IssueCanceled outbox rows. */
    private List<String> cancellationsOf(String issue) {
        return jdbc.sql("SELECT payload ->> 'reason' FROM outbox WHERE aggregate_id = :id "
                        + "AND event_type = 'IssueCanceled'")
                .param("id", issue).query(String.class).list();
    }

    private RecordRejected awaitRejected(String key) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !rejected.withKey(key).isEmpty());
        return (RecordRejected) rejected.withKey(key).getFirst().value();
    }

    /** Waits until the run-status consumer group has committed past {@code sent}: the event was applied. */
    private static void awaitConsumed(RecordMetadata sent) {
        TopicPartition partition = new TopicPartition(sent.topic(), sent.partition());
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets("cwom-ingest-run-status")
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS).get(partition);
            return committed != null && committed.offset() > sent.offset();
        });
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] result = new byte[copy.remaining()];
        copy.get(result);
        return result;
    }

    private void awaitStatus(String issue, String status) {
        await().atMost(Duration.ofSeconds(30)).until(() -> status(issue).equals(status));
    }

    private String status(String issue) {
        return http.get("/cwom/issues/" + issue).json().get("issue").get("status").asString();
    }

    private List<String> runsOf(String issue) {
        List<String> ids = new ArrayList<>();
        http.get("/cwom/issues/" + issue).json().get("issue").get("runs").forEach(r -> ids.add(r.get("id").asString()));
        return ids;
    }

    private static RecordMetadata send(RunEvent event) {
        try {
            return producer.send(new ProducerRecord<>(Topics.RUNS, event.getRunId(), event)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not send run event " + event.getEventId(), e);
        }
    }

    private static void sendRaw(String key, byte[] value) {
        try {
            rawProducer.send(new ProducerRecord<>(Topics.RUNS, key, value)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not send a raw record with key " + key, e);
        }
    }

    private static RunEvent.Builder envelope(String issue, String repo, String run) {
        return RunEvent.newBuilder().setEventId(Ids.newUlid()).setOccurredAt(Instant.now()).setRunId(run)
                .setIssueId(issue).setRepoId(repo).setWorkerId("test-worker");
    }

    static RunEvent started(String issue, String repo, String run) {
        return envelope(issue, repo, run).setPayload(RunStarted.newBuilder()
                .setMode(RunMode.agent)
                .setExecutor(ExecutorInfo.newBuilder().setActorKind("agent").setActorId("noop")
                        .setToolchain(List.of()).build())
                .setContextPackets(List.of()).setDoctrineRefs(List.of()).setPlanSteps(List.of())
                .setStartedAt(Instant.now()).build()).build();
    }

    /** {@code event} as a producer that numbers attempts sends it. */
    static RunEvent numbered(RunEvent event, int attempt) {
        return RunEvent.newBuilder(event).setAttempt(attempt).build();
    }

    static RunEvent heartbeat(String issue, String repo, String run) {
        return envelope(issue, repo, run).setPayload(RunHeartbeat.newBuilder().setProgress("half way").build())
                .build();
    }

    static RunEvent finished(String issue, String repo, String run, RunOutcome outcome) {
        return finishedAt(issue, repo, run, outcome, Instant.now());
    }

    static RunEvent finishedAt(String issue, String repo, String run, RunOutcome outcome, Instant at) {
        return envelope(issue, repo, run).setOccurredAt(at).setPayload(RunFinished.newBuilder().setStatus(outcome)
                .setStartedAt(at.minusSeconds(1)).setEndedAt(at).setDurationS(1.0)
                .setArtifactIds(List.of()).setDecisionLog(List.of()).build()).build();
    }

    /** An Issue, its repo and its run. */
    private record CanceledWhileRunning(String repo, String issue, String run) {
    }

    /** A ready Issue whose run started, then canceled over REST while the run is running. */
    private CanceledWhileRunning canceledWhileRunning() {
        String repo = createRepo();
        String issue = createIssue(repo, "ready");
        String run = Ids.newUlid();
        send(started(issue, repo, run));
        awaitStatus(issue, "running");
        assertThat(http.patch("/cwom/issues/" + issue + "/status", "{\"status\": \"canceled\"}").status())
                .isEqualTo(200);
        return new CanceledWhileRunning(repo, issue, run);
    }
}
