package dev.cwom.artifacts.provenance;

import static dev.cwom.artifacts.sink.SinkFixtures.artifact;
import static dev.cwom.artifacts.sink.SinkFixtures.finished;
import static dev.cwom.artifacts.sink.SinkFixtures.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.f4b6a3.ulid.Ulid;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.cwom.artifacts.ArtifactServiceTest;
import dev.cwom.artifacts.blobs.BlobDigest;
import dev.cwom.artifacts.blobs.BlobStore;
import dev.cwom.artifacts.sink.SinkFixtures;
import dev.cwom.events.PinnedRef;
import dev.cwom.events.RunEvent;
import dev.cwom.events.RunOutcome;
import dev.cwom.events.RunStarted;
import dev.cwom.events.Topics;
import dev.cwom.json.CwomJson;
import dev.cwom.json.Digests;
import dev.cwom.model.Ids;
import dev.cwom.provenance.AttestationVerifier;
import dev.cwom.provenance.SigningKeys;
import dev.cwom.testing.SharedKafka;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The provenance round on the real broker and database: OpenLineage events (each checked against the OpenLineage
 * 2-0-2 JSON Schema, test resources openlineage/OpenLineage.json), the HTTP endpoint, and the signed attestation.
 */
class ProvenanceTests extends ArtifactServiceTest {

    /** The spec's RunEvent definition: the file's root is a oneOf of run, dataset and job events. */
    private static final Schema RUN_EVENT_SCHEMA = runEventSchema();

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    BlobStore blobs;

    @Autowired
    ProvenanceRound round;

    SinkFixtures fixtures;

    /** Every event this test's rounds emitted (a round emits for every due run, not only the test's). */
    private final List<String> emitted = new ArrayList<>();

    @BeforeEach
    void fixtures() {
        fixtures = new SinkFixtures(jdbc);
    }

    @AfterEach
    void close() {
        fixtures.close();
    }

    private static Schema runEventSchema() {
        try (InputStream in = ProvenanceTests.class.getResourceAsStream("/openlineage/OpenLineage.json")) {
            ObjectNode spec = (ObjectNode) CwomJson.mapper().readTree(in);
            spec.remove("oneOf");
            spec.put("$ref", "#/$defs/RunEvent");
            // "example" is documentation the validator does not know and would warn about at every load
            withoutExamples(spec);
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(new ByteArrayInputStream(CwomJson.mapper().writeValueAsBytes(spec)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void withoutExamples(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove("example");
        }
        node.forEach(ProvenanceTests::withoutExamples);
    }

    @Test
    void theSchemaRefusesAnEventThatBreaksIt() {
        // the validator must be able to fail: no run id, unknown event type
        String broken = "{\"eventType\":\"BEGIN\",\"eventTime\":\"2026-12-07T10:00:00Z\",\"producer\":\"urn:x\","
                + "\"schemaURL\":\"" + LineageEvents.SCHEMA_URL + "\",\"run\":{},\"job\":{\"namespace\":\"n\","
                + "\"name\":\"j\"}}";
        assertThat(errors(broken)).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void aFinishedRunGetsValidOpenLineageEventsAndASignedAttestationOfItsArtifacts() throws Exception {
        SinkFixtures.Issue issue = fixtures.issue();
        String run = Ids.newUlid();
        Instant t0 = SinkFixtures.now();
        PinnedRef packet = new PinnedRef("ContextPacket", Ids.newUlid(), "2", Digests.sha256(bytes("packet")));
        PinnedRef policy = new PinnedRef("DoctrineRef", Ids.newUlid(), "3", Digests.sha256(bytes("policy")));
        String log = Ids.newUlid();
        String patch = Ids.newUlid();
        String logDigest = store("the build log");
        String patchDigest = store("diff --git a/x b/x");
        RunEvent start = started(issue, run, t0, List.of(packet), List.of(policy));
        ((RunStarted) start.getPayload()).setMetaJson("{\"requested_by\":\"ana\",\"policy_version\":\"3\"}");
        LINEAGE_ENDPOINT.failNext(2);

        fixtures.send(start, artifact(issue, run, log, t0.plusSeconds(1), "http://127.0.0.1/blobs/" + logDigest, logDigest),
                artifact(issue, run, patch, t0.plusSeconds(2), "http://127.0.0.1/blobs/" + patchDigest, patchDigest),
                finished(issue, run, t0, t0.plusSeconds(3), RunOutcome.done, List.of(log, patch)));
        List<JsonNode> events = emitUntilFinished(run);

        assertThat(events).extracting(e -> e.path("eventType").asString()).containsExactly("START", "COMPLETE");
        JsonNode complete = events.get(1);
        UUID runUuid = UUID.fromString(complete.path("run").path("runId").asString());
        assertThat(Ulid.from(runUuid).toString()).as("the UUID is the ULID's 128 bits").isEqualTo(run);
        assertThat(complete.path("eventTime").asString()).isEqualTo(t0.plusSeconds(3).toString());
        assertThat(complete.path("job").path("name").asString()).isEqualTo("repo:" + issue.repoId() + "/executor:worker-1");
        JsonNode cwomRun = complete.path("run").path("facets").path("cwom_run");
        assertThat(cwomRun.path("policy_version").asString()).isEqualTo("3");
        assertThat(cwomRun.path("principal").asString()).isEqualTo("ana");
        assertThat(complete.path("inputs")).extracting(i -> i.path("facets").path("cwom_pinned").path("digest")
                .asString()).containsExactlyInAnyOrder(packet.getDigest(), policy.getDigest());
        String attestation = Attestations.attestationId(run);
        assertThat(complete.path("outputs")).extracting(o -> o.path("name").asString()).containsExactlyInAnyOrder(
                "cwom:Artifact/" + log, "cwom:Artifact/" + patch, "cwom:Artifact/" + attestation);
        assertThat(complete.path("outputs")).filteredOn(o -> o.path("name").asString().endsWith(patch))
                .singleElement().satisfies(o -> assertThat(o.path("facets").path("cwom_artifact").path("digest")
                        .asString()).isEqualTo(patchDigest));
        List<ConsumerRecord<String, String>> onTopic = lineageTopic(run);
        assertThat(onTopic).extracting(ConsumerRecord::value)
                .containsExactlyElementsOf(events.stream().map(CwomJson.mapper()::writeValueAsString).toList());
        // CloudEvents binary mode, like every other record the pipeline writes
        assertThat(onTopic).extracting(r -> SinkFixtures.header(r.headers(), "ce_type")).containsExactly(
                "dev.cwom.lineage.run.start.v1", "dev.cwom.lineage.run.complete.v1");
        assertThat(onTopic).extracting(r -> SinkFixtures.header(r.headers(), "ce_id")).containsExactly(
                run + "/start", run + "/complete");
        ConsumerRecord<String, String> last = onTopic.getLast();
        assertThat(SinkFixtures.header(last.headers(), "ce_subject")).isEqualTo(run);
        assertThat(SinkFixtures.header(last.headers(), "ce_time")).isEqualTo(t0.plusSeconds(3).toString());
        assertThat(SinkFixtures.header(last.headers(), "ce_source")).isEqualTo("/cwom/artifact-service");
        assertThat(SinkFixtures.header(last.headers(), "content-type")).isEqualTo("application/json");
        assertThat(SinkFixtures.header(last.headers(), "ce_specversion")).isEqualTo("1.0");
        // two refused POSTs were retried: both events arrived
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(LINEAGE_ENDPOINT.accepted())
                .filteredOn(body -> body.contains(runUuid.toString())).hasSize(2));
        assertThat(LINEAGE_ENDPOINT.refused()).isGreaterThanOrEqualTo(2);

        Map<String, Object> row = jdbc.queryForMap("SELECT type, media_type, digest, verification->>'status' AS"
                + " status FROM cwom_artifacts WHERE id = ? AND run_id = ?", attestation, run);
        assertThat(row).containsEntry("type", "report").containsEntry("media_type", "application/vnd.in-toto+json")
                .containsEntry("status", "passed");
        byte[] envelope = Files.readAllBytes(blobs.find(BlobDigest.parse((String) row.get("digest"))).orElseThrow());
        SigningKeys.SigningKey key = SigningKeys.load(SIGNING_KEY);
        AttestationVerifier.Verdict verdict = AttestationVerifier.verify(envelope,
                Map.of(key.keyId(), key.publicKey()), this::fromStore);
        assertThat(verdict.problems()).isEmpty();
        assertThat(verdict.runId()).isEqualTo(run);
        assertThat(verdict.subjects()).extracting(AttestationVerifier.SubjectCheck::artifactId)
                .containsExactlyInAnyOrder(log, patch);
        // the sink's consumer reads the attestation's ArtifactCreated back and changes nothing
        fixtures.awaitSinkCaughtUp(Duration.ofSeconds(20));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cwom_artifacts WHERE run_id = ?", Long.class, run))
                .isEqualTo(3L);
        // a body changed after the fact fails the check
        AttestationVerifier.Verdict tampered = AttestationVerifier.verify(envelope,
                Map.of(key.keyId(), key.publicKey()), (uri, digest) -> digest.equals(patchDigest)
                        ? Optional.of(new ByteArrayInputStream(bytes("diff --git a/x b/x\n+evil")))
                        : fromStore(uri, digest));
        assertThat(tampered.valid()).isFalse();
        assertThat(tampered.problems()).singleElement().asString().contains(patch);
        // a later round emits nothing more for it
        assertThat(emitAll()).noneMatch(e -> e.contains(runUuid.toString()));
    }

    @Test
    void failedAndCanceledRunsEndWithFailAndAbortAndWithoutArtifactsGetNoAttestation() {
        SinkFixtures.Issue issue = fixtures.issue();
        String failed = Ids.newUlid();
        String canceled = Ids.newUlid();
        Instant t0 = SinkFixtures.now();
        fixtures.send(started(issue, failed, t0), finished(issue, failed, t0, t0.plusSeconds(1), RunOutcome.failed,
                List.of()), started(issue, canceled, t0), finished(issue, canceled, t0, t0.plusSeconds(1),
                RunOutcome.canceled, List.of()));

        List<JsonNode> failedEvents = emitUntilFinished(failed);
        List<JsonNode> canceledEvents = emitUntilFinished(canceled);

        assertThat(failedEvents).extracting(e -> e.path("eventType").asString()).containsExactly("START", "FAIL");
        assertThat(failedEvents.get(1).path("run").path("facets").path("errorMessage").path("message").asString())
                .isEqualTo("2 tests failed");
        assertThat(canceledEvents).extracting(e -> e.path("eventType").asString()).containsExactly("START", "ABORT");
        // no artifact, nothing to attest (an in-toto statement needs a subject)
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cwom_artifacts WHERE run_id IN (?, ?)", Long.class,
                failed, canceled)).isZero();
    }

    @Test
    void aRunWaitsForEveryArtifactItListsBeforeItsFinalEvent() {
        SinkFixtures.Issue issue = fixtures.issue();
        String run = Ids.newUlid();
        String late = Ids.newUlid();
        Instant t0 = SinkFixtures.now();
        fixtures.send(started(issue, run, t0), finished(issue, run, t0, t0.plusSeconds(2), RunOutcome.done,
                List.of(late)));
        fixtures.awaitSinkCaughtUp(Duration.ofSeconds(20));

        List<String> first = emitAll();
        assertThat(first).filteredOn(e -> e.contains(LineageEvents.runUuid(run).toString())).singleElement()
                .asString().contains("\"START\"");
        assertThat(finishEmitted(run)).isFalse();

        fixtures.send(artifact(issue, run, late, t0.plusSeconds(1), "https://example.org/late", null));
        assertThat(emitUntilFinished(run)).extracting(e -> e.path("eventType").asString())
                .containsExactly("START", "COMPLETE");
    }

    // ---- helpers

    /** Emits rounds until the run's final event is out; answers the run's events, each checked against the schema. */
    private List<JsonNode> emitUntilFinished(String run) {
        fixtures.awaitSinkCaughtUp(Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            emitAll();
            return finishEmitted(run);
        });
        String uuid = LineageEvents.runUuid(run).toString();
        return emitted.stream().filter(e -> e.contains(uuid)).map(CwomJson.mapper()::readTree).toList();
    }

    /** One round; every event it emitted, whoever's run, must match the OpenLineage schema. */
    private List<String> emitAll() {
        List<String> events = round.emit().lineageEvents();
        assertThat(events).allSatisfy(event -> assertThat(errors(event)).as(event).isEmpty());
        emitted.addAll(events);
        return events;
    }

    private boolean finishEmitted(String run) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT finish_emitted_at IS NOT NULL FROM cwom_run_provenance"
                + " WHERE run_id = ?", Boolean.class, run));
    }

    private static List<String> errors(String event) {
        return RUN_EVENT_SCHEMA.validate(event, InputFormat.JSON).stream().map(Error::toString).toList();
    }

    private String store(String body) throws IOException {
        byte[] bytes = bytes(body);
        return blobs.put(new ByteArrayInputStream(bytes), bytes.length, "text/plain", null).blob().digest().toString();
    }

    private Optional<InputStream> fromStore(String uri, String digest) throws IOException {
        Optional<java.nio.file.Path> file = blobs.find(BlobDigest.parse(digest));
        return file.isPresent() ? Optional.of(Files.newInputStream(file.get())) : Optional.empty();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The run's records on the lineage topic, in order. */
    private static List<ConsumerRecord<String, String>> lineageTopic(String run) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.LINEAGE).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (run.equals(r.key())) {
                        records.add(r);
                    }
                });
            }
            return records;
        }
    }
}
