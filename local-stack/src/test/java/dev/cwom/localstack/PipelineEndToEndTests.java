package dev.cwom.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.events.Topics;
import dev.cwom.json.CwomJson;
import dev.cwom.json.Digests;
import dev.cwom.localstack.StackDatabase.ArtifactRow;
import dev.cwom.localstack.StackDatabase.RunRow;
import dev.cwom.model.ConstraintSnapshot;
import dev.cwom.model.ContextPacket;
import dev.cwom.model.Ids;
import dev.cwom.serde.AvroSerdeConfig;
import dev.cwom.serde.KafkaAvroDeserializer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * 200 issues through the whole running pipeline, half through Kafka and half through REST (the CWOM API and the
 * task bridge), checked where a user or an auditor would look: the database, the REST API, the blob store and the
 * artifact topic as downstream analytics reads it.
 */
class PipelineEndToEndTests {

    private static final int KAFKA_ISSUES = 100;
    private static final int KAFKA_SHELL_ISSUES = 4;
    private static final int REST_ISSUES = 90;
    private static final int REST_TASKS = 10;
    private static final Duration TIME_LIMIT = Duration.ofMinutes(3);

    @Test
    void twoHundredIssuesFromKafkaAndRestEachEndDoneWithOneFinishedRunPinnedDigestsAndAVerifiedTrace()
            throws Exception {
        LocalStack stack = SharedStack.get();
        String suffix = Ids.newUlid().substring(18).toLowerCase();
        Set<String> issueIds = ConcurrentHashMap.newKeySet();
        Map<String, GenericRecord> tracesSeenByAnalytics = new HashMap<>();

        try (StackClient client = StackClient.of(stack);
                KafkaConsumer<String, Object> analytics = analyticsConsumer(stack)) {
            submitThroughKafka(client, suffix, issueIds);
            submitThroughRest(client, suffix, issueIds);
            assertThat(issueIds).hasSize(KAFKA_ISSUES + REST_ISSUES + REST_TASKS);

            try (StackDatabase db = StackDatabase.of(stack)) {
                await("every Issue done").atMost(TIME_LIMIT).pollInterval(Duration.ofSeconds(2))
                        .untilAsserted(() -> assertThat(db.statusCounts(issueIds))
                                .containsExactlyEntriesOf(Map.of("done", issueIds.size())));
                await("a trace artifact stored for every run").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofSeconds(1))
                        .untilAsserted(() -> assertThat(db.traces(issueIds)).hasSize(issueIds.size()));

                await("every attempt finished, done or failed").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(db.runs(issueIds))
                                .extracting(RunRow::status).isSubsetOf("done", "failed"));
                List<RunRow> runs = db.runs(issueIds);
                Map<String, List<RunRow>> runsByIssue = new TreeMap<>();
                runs.forEach(r -> runsByIssue.computeIfAbsent(r.issueId(), k -> new ArrayList<>()).add(r));
                assertThat(runsByIssue).as("issues with runs").hasSize(issueIds.size());
                runsByIssue.forEach((issue, itsRuns) -> {
                    assertThat(itsRuns).as("finished runs of Issue %s", issue)
                            .filteredOn(r -> "done".equals(r.status())).singleElement()
                            .satisfies(r -> assertThat(r.endedAt()).isNotNull());
                    // A worker gives an attempt up when a rebalance or an aborted transaction takes its work order
                    // away: it records that attempt failed, and the work order runs again as a new one.
                    assertThat(itsRuns).as("other attempts of Issue %s", issue)
                            .filteredOn(r -> !"done".equals(r.status()))
                            .allSatisfy(r -> assertThat(r.endedAt()).isNotNull());
                });

                verifyPinnedDigests(db.connection(), client,
                        runs.stream().filter(r -> "done".equals(r.status())).toList());
                verifyTraceBlobs(client, db.traces(issueIds));
            }

            await("analytics reads a trace ArtifactCreated for every Issue").atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> {
                        for (ConsumerRecord<String, Object> record : analytics.poll(Duration.ofMillis(500))) {
                            GenericRecord artifact = (GenericRecord) record.value();
                            if ("trace".equals(String.valueOf(artifact.get("type")))
                                    && issueIds.contains(String.valueOf(artifact.get("issue_id")))) {
                                tracesSeenByAnalytics.put(String.valueOf(artifact.get("issue_id")), artifact);
                            }
                        }
                        assertThat(tracesSeenByAnalytics.keySet()).containsExactlyInAnyOrderElementsOf(issueIds);
                    });
            assertThat(tracesSeenByAnalytics.values()).allSatisfy(artifact -> {
                assertThat(String.valueOf(artifact.get("digest"))).startsWith(Digests.PREFIX);
                assertThat(String.valueOf(artifact.get("uri"))).startsWith(stack.serviceUrl("artifact-service"));
            });
        }
    }

    private static void submitThroughKafka(StackClient client, String suffix, Set<String> issueIds) {
        String repo = DemoIssues.repo("e2e/kafka-" + suffix, "echo");
        for (int i = 0; i < KAFKA_ISSUES; i++) {
            String id = Ids.newUlid();
            boolean shell = i < KAFKA_SHELL_ISSUES;
            client.submitAsync(id, DemoIssues.event()
                    .setRepoJson(repo)
                    .setIssueJson(DemoIssues.issue(id, "Kafka issue " + i, shell ? "chore" : "research",
                            shell ? "shell" : null))
                    .setContextPacketsJson(List.of(DemoIssues.packet("Packet of Kafka issue " + i,
                            shell ? List.of("echo shell run " + i) : null)))
                    .setConstraintSnapshotJson(DemoIssues.constraints(5, "echo"))
                    .build());
            issueIds.add(id);
        }
        client.flush();
    }

    private static void submitThroughRest(StackClient client, String suffix, Set<String> issueIds)
            throws Exception {
        String repoId = DemoIssues.restRepoId(client, "e2e/rest-" + suffix);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> created = new ArrayList<>();
            for (int i = 0; i < REST_ISSUES; i++) {
                int n = i;
                created.add(pool.submit(() -> client.post("/cwom/issues",
                        DemoIssues.restIssue(repoId, "REST issue " + n)).path("id").asString()));
            }
            for (int i = 0; i < REST_TASKS; i++) {
                int n = i;
                created.add(pool.submit(() -> client.post("/tasks/enqueue", DemoIssues.task("e2e/tasks-" + suffix,
                        "Analyse task number " + n, "e2e-" + suffix + "-" + n)).path("cwom_issue_id").asString()));
            }
            for (Future<String> id : created) {
                issueIds.add(id.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    /** Each run's pinned ContextPackets and ConstraintSnapshot carry the sha256 of the stored object. */
    private static void verifyPinnedDigests(Connection db, StackClient client, List<RunRow> runs)
            throws SQLException {
        Map<String, String> storedPacketDigests = new HashMap<>();
        int pinnedPackets = 0;
        try (PreparedStatement query = db.prepareStatement(
                "SELECT run_id, context_packet_id, digest FROM cwom_run_context_packets WHERE run_id = ANY(?)")) {
            query.setArray(1, db.createArrayOf("varchar", runs.stream().map(RunRow::id).toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String packetId = rows.getString(2);
                    String stored = storedPacketDigests.computeIfAbsent(packetId, id -> Digests.sha256(
                            CwomJson.mapper().treeToValue(client.get("/cwom/context-packets/" + id),
                                    ContextPacket.class)));
                    assertThat(rows.getString(3)).as("digest of ContextPacket %s pinned by run %s", packetId,
                            rows.getString(1)).isEqualTo(stored);
                    pinnedPackets++;
                }
            }
        }
        // Every Kafka issue and every task has one packet; REST issues have none.
        assertThat(pinnedPackets).isEqualTo(KAFKA_ISSUES + REST_TASKS);
        int pinnedSnapshots = 0;
        for (RunRow run : runs) {
            if (run.constraintSnapshotId() != null) {
                JsonNode snapshot = client.get("/cwom/constraint-snapshots/" + run.constraintSnapshotId());
                assertThat(run.constraintSnapshotDigest()).as("ConstraintSnapshot digest pinned by run %s", run.id())
                        .isEqualTo(Digests.sha256(CwomJson.mapper().treeToValue(snapshot, ConstraintSnapshot.class)));
                pinnedSnapshots++;
            }
        }
        assertThat(pinnedSnapshots).isEqualTo(KAFKA_ISSUES + REST_TASKS);
    }

    static void verifyTraceBlobs(StackClient client, Map<String, ArtifactRow> traces) {
        traces.forEach((run, trace) -> assertThat(Digests.sha256(client.download(trace.uri())))
                .as("sha256 of the trace blob of run %s at %s", run, trace.uri()).isEqualTo(trace.digest()));
    }

    /**
     * The consumer as a downstream analytics job would write it: plain KafkaConsumer, our deserializer with the
     * registry URL, GenericRecord (no generated classes), from the topic's current end.
     */
    private static KafkaConsumer<String, Object> analyticsConsumer(LocalStack stack) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-analytics-" + Ids.newUlid());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, KafkaAvroDeserializer.class);
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, stack.registryUrl());
        config.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config);
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.ARTIFACTS, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }
}
