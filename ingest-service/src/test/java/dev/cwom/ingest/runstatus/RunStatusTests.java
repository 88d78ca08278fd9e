package dev.cwom.ingest.runstatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.events.ExecutorInfo;
import dev.cwom.events.RunEvent;
import dev.cwom.events.RunFinished;
import dev.cwom.events.RunHeartbeat;
import dev.cwom.events.RunMode;
import dev.cwom.events.RunOutcome;
import dev.cwom.events.RunStarted;
import dev.cwom.events.Topics;
import dev.cwom.ingest.IngestApiTest;
import dev.cwom.ingest.KafkaTopicReader;
import dev.cwom.model.Ids;
import dev.cwom.serde.AvroSerdeConfig;
import dev.cwom.serde.KafkaAvroSerializer;
import dev.cwom.testing.SharedKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RunStatusTests extends IngestApiTest {

    static KafkaProducer<String, Object> producer;

    @BeforeAll
    static void producer() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, KafkaAvroSerializer.class,
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, KafkaTopicReader.REGISTRY));
    }

    @AfterAll
    static void close() {
        producer.close();
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
    void anEventForAnUnknownIssueIsSkippedAndLaterEventsStillApply() {
        String repo = createRepo();
        String issue = createIssue(repo, "ready");
        send(started(Ids.newUlid(), repo, Ids.newUlid()));
        send(started(issue, repo, Ids.newUlid()));
        awaitStatus(issue, "running");
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

    private static void send(RunEvent event) {
        try {
            producer.send(new ProducerRecord<>(Topics.RUNS, event.getRunId(), event)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not send run event " + event.getEventId(), e);
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

    static RunEvent heartbeat(String issue, String repo, String run) {
        return envelope(issue, repo, run).setPayload(RunHeartbeat.newBuilder().setProgress("half way").build())
                .build();
    }

    static RunEvent finished(String issue, String repo, String run, RunOutcome outcome) {
        Instant now = Instant.now();
        return envelope(issue, repo, run).setPayload(RunFinished.newBuilder().setStatus(outcome)
                .setStartedAt(now.minusSeconds(1)).setEndedAt(now).setDurationS(1.0)
                .setArtifactIds(List.of()).setDecisionLog(List.of()).build()).build();
    }
}
