package dev.cwom.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.events.Topics;
import dev.cwom.json.CwomJson;
import dev.cwom.model.Ids;
import dev.cwom.serde.AvroSerdeConfig;
import dev.cwom.serde.KafkaAvroDeserializer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * One trace from a REST submit to the stored artifacts, across the running services: the {@code traceparent} sent
 * with {@code POST /cwom/issues} is found on the Issue's work order, on every run and artifact event of it, in the
 * Run's {@code meta.trace_id} and in its trace bundle's {@code manifest.json}; every one of those records is a
 * CloudEvent in binary mode. On the shared stack.
 */
class TraceEndToEndTests {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String TRACE_ID = java.util.UUID.randomUUID().toString().replace("-", "");
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

    @Test
    void aTraceparentSentWithARestSubmitIsOnEveryRecordOfTheIssuesRunAndInItsManifest() throws IOException {
        LocalStack stack = SharedStack.get();
        try (StackClient client = StackClient.of(stack);
                KafkaConsumer<String, Object> events = eventsConsumer(stack)) {
            String repoId = DemoIssues.restRepoId(client, "e2e/trace-" + Ids.newUlid().substring(18).toLowerCase());
            String issue = client.post("/cwom/issues", DemoIssues.restIssue(repoId, "Traced from submit to store"),
                    201, Map.of("traceparent", TRACEPARENT)).path("id").asString();

            await("the Issue's run done and its trace stored").atMost(WAIT).until(() -> traceOf(client, issue) != null);
            JsonNode trace = traceOf(client, issue);
            String run = trace.path("run").path("id").asString();

            List<ConsumerRecord<String, Object>> records = new ArrayList<>();
            await("the work order, run and artifact events of the Issue read back").atMost(WAIT).until(() -> {
                events.poll(Duration.ofMillis(500)).forEach(record -> {
                    if (record.value() instanceof GenericRecord value
                            && issue.equals(String.valueOf(value.get("issue_id")))) {
                        records.add(record);
                    }
                });
                return records.stream().map(ConsumerRecord::topic).distinct().count() == 3
                        && records.stream().anyMatch(r -> "dev.cwom.run.finished.v1".equals(header(r, "ce_type")))
                        && records.stream().anyMatch(r -> "dev.cwom.artifact.created.v1".equals(header(r, "ce_type")));
            });
            assertThat(records).allSatisfy(record -> {
                assertThat(header(record, "traceparent")).as("traceparent of %s", record.topic())
                        .startsWith("00-" + TRACE_ID + "-");
                assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
                assertThat(header(record, "ce_id"))
                        .isEqualTo(String.valueOf(((GenericRecord) record.value()).get("event_id")));
                assertThat(header(record, "content-type")).isEqualTo("application/avro");
            });
            assertThat(records).filteredOn(r -> r.topic().equals(Topics.ISSUES_READY))
                    .allSatisfy(r -> assertThat(header(r, "ce_subject")).isEqualTo(issue))
                    .allSatisfy(r -> assertThat(header(r, "ce_source")).isEqualTo("/cwom/ingest"));
            assertThat(records).filteredOn(r -> !r.topic().equals(Topics.ISSUES_READY))
                    .allSatisfy(r -> assertThat(header(r, "ce_subject")).isEqualTo(run))
                    // the worker's events, and, when it has come yet, artifact-service's attestation of the run
                    .allSatisfy(r -> assertThat(header(r, "ce_source")).satisfiesAnyOf(
                            source -> assertThat(source).startsWith("/cwom/worker/"),
                            source -> assertThat(source).isEqualTo("/cwom/artifact-service")));

            assertThat(client.get("/cwom/runs/" + run).path("meta").path("trace_id").asString()).isEqualTo(TRACE_ID);
            JsonNode manifest = CwomJson.mapper().readTree(entry(client.download(trace.path("uri").asString()),
                    run + "/manifest.json"));
            assertThat(manifest.path("trace_id").asString()).isEqualTo(TRACE_ID);
        }
    }

    /** The trace artifact of the Issue's done run, with that run under {@code run}; null until stored. */
    private static @Nullable JsonNode traceOf(StackClient client, String issue) {
        JsonNode view = client.get("/cwom/issues/" + issue);
        if (view == null) {
            return null;
        }
        for (JsonNode run : view.path("runs")) {
            if ("done".equals(run.path("status").asString())) {
                for (JsonNode artifact : StackClient.items(client.get("/cwom/runs/" + run.path("id").asString()
                        + "/artifacts"))) {
                    if ("trace".equals(artifact.path("type").asString())) {
                        return ((tools.jackson.databind.node.ObjectNode) artifact.deepCopy()).set("run", run);
                    }
                }
            }
        }
        return null;
    }

    private static byte[] entry(byte[] zip, String name) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.getName().equals(name)) {
                    return in.readAllBytes();
                }
            }
        }
        throw new AssertionError("no " + name + " in the trace bundle");
    }

    private static @Nullable String header(ConsumerRecord<String, Object> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Work orders, run and artifact events from the topics' current ends, as generic records. */
    private static KafkaConsumer<String, Object> eventsConsumer(LocalStack stack) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, KafkaAvroDeserializer.class);
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, stack.registryUrl());
        config.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config);
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(Topics.ISSUES_READY, Topics.RUNS, Topics.ARTIFACTS)) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }
}
