package dev.cwom.artifacts.sink;

import static org.awaitility.Awaitility.await;

import dev.cwom.artifacts.ArtifactServiceTest;
import dev.cwom.events.ArtifactCreated;
import dev.cwom.events.ArtifactType;
import dev.cwom.events.ExecutorInfo;
import dev.cwom.events.Failure;
import dev.cwom.events.FailureCategory;
import dev.cwom.events.PinnedRef;
import dev.cwom.events.RecordRejected;
import dev.cwom.events.RunEvent;
import dev.cwom.events.RunFinished;
import dev.cwom.events.RunHeartbeat;
import dev.cwom.events.RunMode;
import dev.cwom.events.RunOutcome;
import dev.cwom.events.RunStarted;
import dev.cwom.events.Topics;
import dev.cwom.model.Ids;
import dev.cwom.serde.AvroSerdeConfig;
import dev.cwom.serde.KafkaAvroDeserializer;
import dev.cwom.serde.KafkaAvroSerializer;
import dev.cwom.testing.SharedKafka;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.jdbc.core.JdbcTemplate;

/** Rows the sink's events refer to, event builders, a producer, and waits on the sink's progress. */
public final class SinkFixtures implements AutoCloseable {

    public static final String GROUP = "cwom-artifact-sink";

    private final JdbcTemplate jdbc;
    private final KafkaProducer<String, Object> producer;
    private final KafkaProducer<byte[], byte[]> rawProducer;
    private final Admin admin;

    public SinkFixtures(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, ArtifactServiceTest.REGISTRY_URL);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producer = new KafkaProducer<>(config, new StringSerializer(), serializer(config));
        rawProducer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        admin = Admin.create(Map.of("bootstrap.servers", SharedKafka.bootstrapServers()));
    }

    private static KafkaAvroSerializer serializer(Map<String, Object> config) {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(config, false);
        return serializer;
    }

    /**
     * A repo and an issue in it; answers {repoId, issueId}. They are ingest-service's: the sink keeps their ids
     * as the events carry them and has no table of them, so there is nothing to insert.
     */
    public Issue issue() {
        return new Issue(Ids.newUlid(), Ids.newUlid());
    }

    /** A context packet of the issue (ingest's, like the issue); answers its id. */
    public String contextPacket(Issue issue) {
        return Ids.newUlid();
    }

    /** A doctrine ref (ingest's); answers its id. */
    public String doctrineRef() {
        return Ids.newUlid();
    }

    public record Issue(String repoId, String issueId) {
    }

    // ---- events

    /** The meta_json of every {@link #started} and of every {@link #artifact}. */
    public static final String RUN_META = "{\"ticket\":\"CWOM-7\",\"attempt\":2}";
    public static final String ARTIFACT_META = "{\"source\":\"sink-test\"}";

    public static RunEvent started(Issue issue, String runId, Instant at, List<PinnedRef> contextPackets,
            List<PinnedRef> doctrineRefs) {
        RunStarted payload = RunStarted.newBuilder()
                .setWorkOrderEventId(Ids.newUlid())
                .setMode(RunMode.agent)
                .setExecutor(ExecutorInfo.newBuilder().setActorKind("agent").setActorId("worker-1")
                        .setDisplay("noop").setRuntime("java").setToolchain(List.of("jdk-25")).build())
                .setContextPackets(contextPackets)
                .setDoctrineRefs(doctrineRefs)
                .setConstraintSnapshot(null)
                .setPlanSteps(List.of("checkout", "build"))
                .setPlanRiskNotes(List.of("the build cache may be cold"))
                .setStartedAt(at)
                .setTags(List.of("nightly", "sink-test"))
                .setMetaJson(RUN_META)
                .build();
        return envelope(issue, runId, at, "worker-1", payload);
    }

    public static RunEvent started(Issue issue, String runId, Instant at) {
        return started(issue, runId, at, List.of(), List.of());
    }

    public static RunEvent heartbeat(Issue issue, String runId, Instant at) {
        return envelope(issue, runId, at, "worker-1", new RunHeartbeat("step 1"));
    }

    public static RunEvent finished(Issue issue, String runId, Instant startedAt, Instant at, RunOutcome outcome,
            List<String> artifactIds) {
        RunFinished payload = RunFinished.newBuilder()
                .setStatus(outcome)
                .setFailure(outcome == RunOutcome.failed ? new Failure(FailureCategory.test, "2 tests failed") : null)
                .setStartedAt(startedAt)
                .setEndedAt(at)
                .setDurationS(Duration.between(startedAt, at).toMillis() / 1000.0)
                .setCostUsd(0.25)
                .setCostTokens(1200L)
                .setCostComputeS(3.5)
                .setArtifactIds(artifactIds)
                .setResultSummary("built")
                .setDecisionLog(List.of("chose the noop executor"))
                .build();
        return envelope(issue, runId, at, "worker-1", payload);
    }

    public static ArtifactCreated artifact(Issue issue, String runId, String artifactId, Instant at, String uri,
            String digest) {
        return ArtifactCreated.newBuilder()
                .setEventId(Ids.newUlid())
                .setOccurredAt(at)
                .setArtifactId(artifactId)
                .setRunId(runId)
                .setIssueId(issue.issueId())
                .setRepoId(issue.repoId())
                .setType(ArtifactType.log)
                .setTitle("build log")
                .setUri(uri)
                .setDigest(digest)
                .setMediaType("text/plain")
                .setSizeBytes(12L)
                .setPreview("ok")
                .setTags(List.of("log"))
                .setMetaJson(ARTIFACT_META)
                .build();
    }

    private static RunEvent envelope(Issue issue, String runId, Instant at, String worker, Object payload) {
        return RunEvent.newBuilder()
                .setEventId(Ids.newUlid())
                .setOccurredAt(at)
                .setRunId(runId)
                .setIssueId(issue.issueId())
                .setRepoId(issue.repoId())
                .setWorkerId(worker)
                .setPayload(payload)
                .build();
    }

    /** Now, truncated to what timestamp-millis keeps. */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    // ---- Kafka

    /** Publishes events (RunEvent to the runs topic, ArtifactCreated to the artifacts topic), key = run id. */
    public void send(SpecificRecord... events) {
        try {
            for (SpecificRecord event : events) {
                if (event instanceof RunEvent run) {
                    producer.send(new ProducerRecord<>(Topics.RUNS, run.getRunId(), run)).get(10, TimeUnit.SECONDS);
                } else if (event instanceof ArtifactCreated artifact) {
                    producer.send(new ProducerRecord<>(Topics.ARTIFACTS, artifact.getRunId(), artifact))
                            .get(10, TimeUnit.SECONDS);
                } else {
                    throw new IllegalArgumentException("Not a sink event: " + event.getClass());
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("Publishing test events failed", e);
        }
    }

    /** Publishes raw bytes; answers the record's offset. */
    public long sendRaw(String topic, byte[] key, byte[] value, org.apache.kafka.common.header.Header... headers) {
        try {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, key, value, List.of(headers));
            return rawProducer.send(record).get(10, TimeUnit.SECONDS).offset();
        } catch (Exception e) {
            throw new IllegalStateException("Publishing raw test record failed", e);
        }
    }

    /** Publishes a record with this key to the runs topic in a transaction that is then aborted. */
    public void abortedRunRecord(String key) {
        abortedRecord(Topics.RUNS, key);
    }

    /** Publishes a record with this key to a topic in a transaction that is then aborted. */
    public static void abortedRecord(String topic, String key) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "sink-test-aborted-" + UUID.randomUUID());
        try (KafkaProducer<byte[], byte[]> transactional = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            transactional.initTransactions();
            transactional.beginTransaction();
            transactional.send(new ProducerRecord<>(topic, key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    new byte[] {0})).get(10, TimeUnit.SECONDS);
            transactional.abortTransaction();
        } catch (Exception e) {
            throw new IllegalStateException("Publishing an aborted test record failed", e);
        }
    }

    /** Waits until the sink group has committed offsets up to the end of both input topics. */
    public void awaitSinkCaughtUp(Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(this::caughtUp);
    }

    private boolean caughtUp() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (String topic : List.of(Topics.RUNS, Topics.ARTIFACTS)) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
        }
        var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
        for (var end : ends.entrySet()) {
            OffsetAndMetadata done = committed.get(end.getKey());
            long position = done == null ? 0 : done.offset();
            if (position < end.getValue().offset()) {
                return false;
            }
        }
        return true;
    }

    /** The committed offsets of the sink group on the input topics. */
    public Map<TopicPartition, Long> committedOffsets() throws Exception {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                .forEach((tp, o) -> offsets.put(tp, o == null ? 0 : o.offset()));
        return offsets;
    }

    /** A read_committed reader of the shared broker's events, decoded as generated classes. */
    private static Map<String, Object> readerConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, ArtifactServiceTest.REGISTRY_URL);
        config.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        return config;
    }

    /** Every record on a topic so far, read by a throwaway consumer. */
    public static <V> List<ConsumerRecord<String, V>> readAll(String topic, Class<V> type, int expectedAtLeast,
            java.util.function.Predicate<ConsumerRecord<String, V>> filter) {
        Map<String, Object> config = readerConfig();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "sink-test-reader-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaAvroDeserializer values = new KafkaAvroDeserializer();
        values.configure(config, false);
        List<ConsumerRecord<String, V>> found = new ArrayList<>();
        // Raw bytes, decoded one by one: the topics also hold the poison records other tests sent.
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                collect(consumer.poll(Duration.ofMillis(200)), values, type, filter, found);
                return found.size() >= expectedAtLeast;
            });
        }
        return found;
    }

    /**
     * Every record on a topic up to its end as of this call (so unlike {@link #readAll} it also sees a duplicate that
     * follows the first match), read by a throwaway consumer.
     */
    public static <V> List<ConsumerRecord<String, V>> readToEnd(String topic, Class<V> type,
            java.util.function.Predicate<ConsumerRecord<String, V>> filter) {
        Map<String, Object> config = readerConfig();
        KafkaAvroDeserializer values = new KafkaAvroDeserializer();
        values.configure(config, false);
        List<ConsumerRecord<String, V>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                collect(consumer.poll(Duration.ofMillis(200)), values, type, typed -> filter.test(typed)
                        && typed.offset() < ends.get(new TopicPartition(topic, typed.partition())), found);
                return partitions.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp));
            });
        }
        return found;
    }

    /**
     * Adds to {@code found} the polled records that decode to {@code type} and pass {@code filter}; the topics also
     * hold the poison records other tests sent, so an undecodable record is passed over.
     */
    private static <V> void collect(Iterable<ConsumerRecord<String, byte[]>> polled, KafkaAvroDeserializer values,
            Class<V> type, java.util.function.Predicate<ConsumerRecord<String, V>> filter,
            List<ConsumerRecord<String, V>> found) {
        for (ConsumerRecord<String, byte[]> raw : polled) {
            Object value;
            try {
                value = values.deserialize(raw.topic(), raw.value());
            } catch (RuntimeException e) {
                continue;
            }
            if (type.isInstance(value)) {
                ConsumerRecord<String, V> typed = new ConsumerRecord<>(raw.topic(), raw.partition(), raw.offset(),
                        raw.timestamp(), raw.timestampType(), raw.serializedKeySize(), raw.serializedValueSize(),
                        raw.key(), type.cast(value), raw.headers(), raw.leaderEpoch());
                if (filter.test(typed)) {
                    found.add(typed);
                }
            }
        }
    }

    /** Rejections of records with this key (tests give each record they expect rejected a key of its own). */
    public static List<RecordRejected> rejectionsOf(String key, int expectedAtLeast) {
        return rejectionRecordsOf(key, expectedAtLeast).stream().map(ConsumerRecord::value).toList();
    }

    /** {@link #rejectionsOf}, with the records' headers. */
    public static List<ConsumerRecord<String, RecordRejected>> rejectionRecordsOf(String key, int expectedAtLeast) {
        return readAll(Topics.SINK_REJECTED, RecordRejected.class, expectedAtLeast, r -> key.equals(r.key()));
    }

    /** The UTF-8 value of the last header {@code name}, or null. */
    public static @org.jspecify.annotations.Nullable String header(org.apache.kafka.common.header.Headers headers,
            String name) {
        org.apache.kafka.common.header.Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Decodes the Confluent-wire-format bytes of a RunEvent (e.g. a rejected record's original value). */
    public static RunEvent decodeRunEvent(byte[] value) {
        Map<String, Object> config = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, ArtifactServiceTest.REGISTRY_URL,
                AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        try (KafkaAvroDeserializer values = new KafkaAvroDeserializer()) {
            values.configure(config, false);
            return (RunEvent) values.deserialize(Topics.RUNS, value);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        rawProducer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }

    static <T> T nonNull(T value) {
        return Objects.requireNonNull(value);
    }
}
