package dev.cwom.worker.runs;

import static org.awaitility.Awaitility.await;

import dev.cwom.service.tracing.TraceHeaders;
import dev.cwom.events.ArtifactCreated;
import dev.cwom.events.IssueCanceled;
import dev.cwom.events.RecordRejected;
import dev.cwom.events.RunEvent;
import dev.cwom.events.RunFinished;
import dev.cwom.events.RunStarted;
import dev.cwom.events.WorkOrder;
import dev.cwom.model.IssueType;
import dev.cwom.model.Ids;
import dev.cwom.serde.AvroSerdeConfig;
import dev.cwom.serde.KafkaAvroDeserializer;
import dev.cwom.serde.KafkaAvroSerializer;
import dev.cwom.testing.SharedKafka;
import dev.cwom.worker.DiskSettings;
import dev.cwom.worker.PickupSettings;
import dev.cwom.worker.WorkerProperties;
import dev.cwom.worker.blobs.BlobStoreClient;
import dev.cwom.worker.blobs.BlobStoreStub;
import dev.cwom.worker.disk.FakeFreeSpace;
import dev.cwom.worker.disk.FreeSpaceGuard;
import dev.cwom.worker.disk.RunFolders;
import dev.cwom.worker.execution.RunExecution;
import dev.cwom.worker.executors.Executor;
import dev.cwom.worker.executors.ExecutorRegistry;
import dev.cwom.worker.executors.NoopExecutor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Workers against the shared broker, each test with topics of its own, a stub blob store, a work-order producer and
 * a read_committed reader of everything the workers publish.
 */
final class PickupHarness implements AutoCloseable {

    static final String REGISTRY = "mock://worker-runs-tests";
    static final int PARTITIONS = 12;

    final PickupTopics topics;
    final BlobStoreStub blobs;
    /** The free space every worker of this harness sees: plenty, unless a test fills it. */
    final FakeFreeSpace space = new FakeFreeSpace();
    private final String registry;
    private final Path dataRoot;
    private final String group;
    private final KafkaProducer<String, Object> producer;
    private final KafkaProducer<String, byte[]> rawProducer;
    private final KafkaConsumer<String, Object> reader;
    private final List<PickupLoop> workers = new ArrayList<>();
    private final Map<String, FreeSpaceGuard> guards = new java.util.concurrent.ConcurrentHashMap<>();
    /** Traces as the services keep them, over an SDK that exports nothing. */
    static final TraceHeaders TRACES = TraceHeaders.standalone();

    private final List<RunEvent> runEvents = new CopyOnWriteArrayList<>();
    private final List<ConsumerRecord<String, Object>> records = new CopyOnWriteArrayList<>();
    private final List<ArtifactCreated> artifacts = new CopyOnWriteArrayList<>();
    private final List<RecordRejected> rejected = new CopyOnWriteArrayList<>();

    PickupHarness(Path dataRoot) throws Exception {
        this(dataRoot, REGISTRY);
    }

    /** With the schema registry at {@code registryUrl} for workers, the work-order producer and the reader alike. */
    PickupHarness(Path dataRoot, String registryUrl) throws Exception {
        // Shell runs' sandboxes (uid 65534 when the tests run as root) must reach the work folders under it.
        this.dataRoot = dev.cwom.worker.executors.SandboxSupport.searchable(
                java.nio.file.Files.createDirectories(dataRoot));
        this.registry = registryUrl;
        String suffix = "." + Ids.newUlid().toLowerCase(Locale.ROOT);
        topics = PickupTopics.suffixed(suffix);
        group = "cwom-workers" + suffix;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topics.workOrders(), PARTITIONS, (short) 1),
                    new NewTopic(topics.runs(), 3, (short) 1), new NewTopic(topics.artifacts(), 3, (short) 1),
                    new NewTopic(topics.rejected(), 1, (short) 1),
                    new NewTopic(topics.canceled(), 3, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
                    .all().get();
            // Producing before every partition has its leader can leave an idempotent producer retrying forever.
            // Right after creation the broker may not know a topic yet: that is "not yet", too.
            await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptionsMatching(e -> e.getCause() instanceof UnknownTopicOrPartitionException)
                    .until(() -> admin.describeTopics(List.of(topics.workOrders(), topics.runs(), topics.artifacts(),
                            topics.rejected(), topics.canceled())).allTopicNames().get().values().stream()
                    .flatMap(t -> t.partitions().stream()).allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
        }
        blobs = new BlobStoreStub();
        // Not idempotent: on a loaded machine the embedded broker can answer a retried first batch of a new topic
        // with OUT_OF_ORDER_SEQUENCE forever. A work order sent twice is what the worker must cope with anyway.
        Map<String, Object> producerConfig = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedKafka.bootstrapServers(), AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.ACKS_CONFIG, "all");
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(producerConfig, false);
        producer = new KafkaProducer<>(producerConfig, new StringSerializer(), serializer);
        rawProducer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
        Map<String, Object> readerConfig = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedKafka.bootstrapServers(), ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl,
                AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        KafkaAvroDeserializer values = new KafkaAvroDeserializer();
        values.configure(readerConfig, false);
        reader = new KafkaConsumer<>(readerConfig, new StringDeserializer(), values);
        List<TopicPartition> all = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            all.add(new TopicPartition(topics.runs(), p));
            all.add(new TopicPartition(topics.artifacts(), p));
        }
        all.add(new TopicPartition(topics.rejected(), 0));
        reader.assign(all);
        reader.seekToBeginning(all);
    }

    /** Settings of a test worker: fast heartbeats and back-offs, short graces, the stub blob store. */
    WorkerProperties properties(String workerId) {
        return new WorkerProperties(workerId, dataRoot.resolve(workerId).resolve("traces"),
                dataRoot.resolve(workerId).resolve("work"), Duration.ofMillis(300), Duration.ofSeconds(10), null,
                null, null, new WorkerProperties.Blobs(blobs.url(), 2, Duration.ofMillis(50), null, null, null, null),
                new PickupSettings(true, group, 4, Duration.ofMillis(50), Duration.ofSeconds(2),
                        Duration.ofMillis(300), null, null, null, null), null)
                .withDisk(new DiskSettings(null, null, null, null, null, Duration.ofMillis(50)));
    }

    /** Starts a worker with the noop executor and {@code executors}. */
    PickupLoop startWorker(String workerId, Executor... executors) {
        return startWorker(properties(workerId), executors);
    }

    PickupLoop startWorker(WorkerProperties properties, Executor... executors) {
        PickupLoop worker = worker(properties, executors);
        worker.start();
        return worker;
    }

    PickupLoop worker(WorkerProperties properties, Executor... executors) {
        return worker(properties, PickupClients.forBroker(SharedKafka.bootstrapServers(), registry, properties),
                executors);
    }

    /** A worker whose consumers have {@code consumerSettings} too (e.g. {@code fetch.max.wait.ms}). */
    PickupLoop worker(WorkerProperties properties, Map<String, Object> consumerSettings) {
        Map<String, Object> base = new java.util.HashMap<>(Map.of("bootstrap.servers", SharedKafka.bootstrapServers(),
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry));
        Map<String, Object> consumer = new java.util.HashMap<>(base);
        consumer.putAll(consumerSettings);
        return worker(properties, new PickupClients(consumer, base, properties,
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
    }

    private PickupLoop worker(WorkerProperties properties, PickupClients clients, Executor... executors) {
        FreeSpaceGuard guard = new FreeSpaceGuard(properties, space, Clock.systemUTC());
        guards.put(properties.workerId(), guard);
        RunExecution execution = execution(properties, executors);
        PickupLoop worker = new PickupLoop(properties, clients, topics, execution,
                Clock.systemUTC(), new RunFolders(properties, Clock.systemUTC()), guard);
        workers.add(worker);
        return worker;
    }

    /** What a worker of this harness executes with: the noop executor (for every Issue type) and {@code executors}. */
    RunExecution execution(WorkerProperties properties, Executor... executors) {
        List<Executor> all = new ArrayList<>(List.of(executors));
        all.add(new NoopExecutor());
        Map<IssueType, String> byType = new EnumMap<>(IssueType.class);
        for (IssueType type : IssueType.values()) {
            byType.put(type, NoopExecutor.NAME);
        }
        return new RunExecution(properties, new ExecutorRegistry(all, byType),
                new BlobStoreClient(properties.blobs(), TRACES), Clock.systemUTC(), TRACES);
    }

    /** The free-space guard of the last worker made with {@code workerId}. */
    FreeSpaceGuard freeSpaceGuard(String workerId) {
        return guards.get(workerId);
    }

    /** Sends {@code order} keyed by its issue id; answers where it landed. */
    RecordMetadata send(WorkOrder order) throws Exception {
        return producer.send(new ProducerRecord<>(topics.workOrders(), order.getIssueId(), order)).get();
    }

    /** Sends {@code value} to {@code topic} with {@code headers}, as another worker would have written it. */
    RecordMetadata sendTo(String topic, String key, Object value, Map<String, byte[]> headers) throws Exception {
        ProducerRecord<String, Object> record = new ProducerRecord<>(topic, key, value);
        headers.forEach((name, bytes) -> record.headers().add(name, bytes));
        return producer.send(record).get();
    }

    /** Sends a work order in the trace {@code traceparent} names, as ingest's relay does. */
    RecordMetadata send(WorkOrder order, String traceparent) throws Exception {
        ProducerRecord<String, Object> record = new ProducerRecord<>(topics.workOrders(), order.getIssueId(), order);
        record.headers().add("traceparent", traceparent.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return producer.send(record).get();
    }

    RecordMetadata sendTo(int partition, WorkOrder order) throws Exception {
        return producer.send(new ProducerRecord<>(topics.workOrders(), partition, order.getIssueId(), order)).get();
    }

    /** Sends many at once, without waiting for each. */
    void sendAll(List<WorkOrder> orders) {
        orders.forEach(o -> producer.send(new ProducerRecord<>(topics.workOrders(), o.getIssueId(), o)));
        producer.flush();
    }

    /** Publishes that {@code issueId} was canceled at {@code canceledAt}, as ingest's outbox relay does. */
    RecordMetadata cancel(String issueId, String repoId, Instant canceledAt) throws Exception {
        IssueCanceled event = IssueCanceled.newBuilder().setEventId(Ids.newUlid())
                .setOccurredAt(canceledAt.truncatedTo(ChronoUnit.MILLIS)).setIssueId(issueId).setRepoId(repoId)
                .setCanceledAt(canceledAt.truncatedTo(ChronoUnit.MILLIS)).setReason("canceled by the test").build();
        return producer.send(new ProducerRecord<>(topics.canceled(), issueId, event)).get();
    }

    /**
     * Publishes that {@code issueId} left ready at {@code at}, withdrawing its attempts up to {@code through}, as
     * ingest's outbox relay does.
     */
    RecordMetadata withdraw(String issueId, String repoId, int through, Instant at) throws Exception {
        IssueCanceled event = IssueCanceled.newBuilder().setEventId(Ids.newUlid())
                .setOccurredAt(at.truncatedTo(ChronoUnit.MILLIS)).setIssueId(issueId).setRepoId(repoId)
                .setCanceledAt(at.truncatedTo(ChronoUnit.MILLIS)).setReason("Issue left ready for planned")
                .setWithdrawnThroughAttempt(through).build();
        return producer.send(new ProducerRecord<>(topics.canceled(), issueId, event)).get();
    }

    RecordMetadata sendRaw(String key, byte[] value) throws Exception {
        return rawProducer.send(new ProducerRecord<>(topics.workOrders(), key, value)).get();
    }

    /** The workers' group's committed offset of {@code partition} (stable: no pending transaction), or -1. */
    long committedOffset(TopicPartition partition) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedKafka.bootstrapServers()))) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group,
                    new ListConsumerGroupOffsetsOptions().requireStable(true)).partitionsToOffsetAndMetadata().get()
                    .get(partition);
            return committed == null ? -1 : committed.offset();
        }
    }

    /** The workers' group's committed offsets of {@code partitions} that have one, in one snapshot. */
    Map<TopicPartition, Long> committedOffsets(java.util.Collection<TopicPartition> partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedKafka.bootstrapServers()))) {
            Map<TopicPartition, Long> offsets = new java.util.HashMap<>();
            admin.listConsumerGroupOffsets(group, new ListConsumerGroupOffsetsOptions().requireStable(true))
                    .partitionsToOffsetAndMetadata().get().forEach((partition, committed) -> {
                        if (committed != null && partitions.contains(partition)) {
                            offsets.put(partition, committed.offset());
                        }
                    });
            return offsets;
        }
    }

    /** Everything published and committed so far on the runs, artifacts and rejected topics. */
    synchronized void catchUp() {
        for (ConsumerRecord<String, Object> record : reader.poll(Duration.ofMillis(20))) {
            records.add(record);
            switch (record.value()) {
                case RunEvent event -> runEvents.add(event);
                case ArtifactCreated artifact -> artifacts.add(artifact);
                case RecordRejected rejection -> rejected.add(rejection);
                default -> throw new IllegalStateException("Unexpected " + record.value());
            }
        }
    }

    /** The records (with their headers) of the issue's run and artifact events read so far. */
    List<ConsumerRecord<String, Object>> records(String issueId) {
        catchUp();
        return records.stream().filter(r -> r.value() instanceof RunEvent e ? e.getIssueId().equals(issueId)
                : r.value() instanceof ArtifactCreated a && a.getIssueId().equals(issueId)).toList();
    }

    List<RunEvent> runEvents(String issueId) {
        catchUp();
        return runEvents.stream().filter(e -> e.getIssueId().equals(issueId)).toList();
    }

    List<RunEvent> started(String issueId) {
        return payloads(issueId, RunStarted.class);
    }

    List<RunEvent> finished(String issueId) {
        return payloads(issueId, RunFinished.class);
    }

    List<RunEvent> payloads(String issueId, Class<?> type) {
        return runEvents(issueId).stream().filter(e -> type.isInstance(e.getPayload())).toList();
    }

    List<ArtifactCreated> artifacts(String issueId) {
        catchUp();
        return artifacts.stream().filter(a -> a.getIssueId().equals(issueId)).toList();
    }

    /**
     * Whether every artifact the issue's RunFinished events name has been read too: they were committed together,
     * but the reader may see the runs topic before the artifacts topic.
     */
    boolean artifactsArrived(String issueId) {
        List<String> named = finished(issueId).stream().flatMap(e -> finishedPayload(e).getArtifactIds().stream())
                .toList();
        return artifacts(issueId).stream().map(ArtifactCreated::getArtifactId).toList().containsAll(named);
    }

    /**
     * The file {@code name} of the trace bundle uploaded for run {@code runId}, as the stub blob store received it
     * (the trace folder itself is deleted once the run is finished).
     */
    String traceFile(String issueId, String runId, String name) throws IOException {
        String digest = artifacts(issueId).stream().filter(a -> a.getRunId().equals(runId))
                .filter(a -> a.getType() == dev.cwom.events.ArtifactType.trace).findFirst()
                .orElseThrow(() -> new AssertionError("no trace artifact for run " + runId)).getDigest();
        byte[] bundle = blobs.received().stream().filter(r -> dev.cwom.json.Digests.sha256(r.body()).equals(digest))
                .findFirst().orElseThrow(() -> new AssertionError("trace " + digest + " was not uploaded")).body();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bundle))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (entry.getName().equals(runId + "/" + name)) {
                    return new String(zip.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        throw new AssertionError("no " + name + " in the trace bundle of run " + runId);
    }

    List<RecordRejected> rejected() {
        catchUp();
        return List.copyOf(rejected);
    }

    static RunFinished finishedPayload(RunEvent event) {
        return (RunFinished) event.getPayload();
    }

    @Override
    public void close() {
        workers.forEach(PickupLoop::halt);
        producer.close(Duration.ofSeconds(5));
        rawProducer.close(Duration.ofSeconds(5));
        reader.close();
        blobs.close();
    }
}
