package dev.cwom.worker.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.events.RunEvent;
import dev.cwom.events.RunHeartbeat;
import dev.cwom.events.WorkOrder;
import dev.cwom.model.Ids;
import dev.cwom.serde.AvroSerdeConfig;
import dev.cwom.serde.KafkaAvroDeserializer;
import dev.cwom.serde.KafkaAvroSerializer;
import dev.cwom.testing.SharedKafka;
import dev.cwom.worker.PickupSettings;
import dev.cwom.worker.WorkerProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a test (its name keeps it out of Surefire's default includes, so {@code verify} never runs it): the worker's
 * runs/s with the {@code noop} executor as a ratio to a bare transactional consume -> produce loop, measured in the
 * same JVM against the same broker. Run it with
 * {@code ./mvnw -B -pl worker-service -am verify -Dtest=WorkerBenchmark -Dsurefire.failIfNoSpecifiedTests=false};
 * the numbers go to {@code worker-service/target/worker-benchmark.txt}. See docs/worker.md.
 */
class WorkerBenchmark {

    private static final int RUNS = Integer.getInteger("cwom.benchmark.runs", 120);

    @TempDir
    Path data;

    @Test
    void workerRunsPerSecondAgainstABareTransactionalLoop() throws Exception {
        List<String> report = new ArrayList<>();
        report.add("WorkerBenchmark " + Instant.now() + ": " + RUNS + " work orders, 12 partitions, embedded broker, "
                + Runtime.getRuntime().availableProcessors() + " CPUs");

        double baseline;
        long baselineCpu;
        try (PickupHarness harness = new PickupHarness(data.resolve("baseline"))) {
            harness.sendAll(orders());
            long cpu = cpuNanos();
            baseline = bareTransactionalLoop(harness.topics);
            baselineCpu = cpuNanos() - cpu;
        }
        print(report, String.format(Locale.ROOT, "baseline (bare transactional consume->produce, 1 txn per record):"
                + " %.1f records/s, %.1f ms CPU per record", baseline, baselineCpu / 1e6 / RUNS));

        // max-concurrent-runs, commit-interval: the old default (2, one transaction per start and per end, which 0
        // comes close to), then the default (12, 50 ms).
        for (Object[] setting : new Object[][] {{2, Duration.ZERO}, {12, Duration.ZERO},
                {12, Duration.ofMillis(50)}}) {
            int concurrent = (Integer) setting[0];
            Duration interval = (Duration) setting[1];
            try (PickupHarness harness = new PickupHarness(data.resolve("worker-" + concurrent + "-"
                    + interval.toMillis()))) {
                harness.sendAll(orders());
                long cpu = cpuNanos();
                double worker = worker(harness, concurrent, interval);
                long used = cpuNanos() - cpu;
                print(report, String.format(Locale.ROOT, "worker (noop, max-concurrent-runs=%d, commit-interval=%d ms):"
                        + " %.1f runs/s, ratio to baseline %.3f, %.1f ms CPU per run", concurrent,
                        interval.toMillis(), worker, worker / baseline, used / 1e6 / RUNS));
            }
        }
        Files.write(Path.of("target", "worker-benchmark.txt"), report);
    }

    /**
     * The work-order consumer's {@code fetch.max.wait.ms}: what a longer wait saves while nothing happens, and what
     * it costs a partition after each run. All work orders on one partition, so each waits for the previous one's end
     * to be committed and its partition resumed: the time per run includes the wait for the fetch that is out for
     * the paused partitions. Then 10 s with nothing to do: the CPU of this JVM (worker and broker) per second.
     * Prints to {@code target/worker-fetch-wait.txt}.
     */
    @Test
    void workOrderFetchWait() throws Exception {
        int runs = Math.max(12, RUNS / 4);
        List<String> report = new ArrayList<>();
        report.add("WorkerBenchmark fetch wait " + Instant.now() + ": " + runs + " work orders on one partition, "
                + Runtime.getRuntime().availableProcessors() + " CPUs");
        for (int wait : new int[] {50, 500, 50, 500}) {
            try (PickupHarness harness = new PickupHarness(data.resolve("fetch-wait-" + wait + "-" + Ids.newUlid()))) {
                for (WorkOrder order : TestWorkOrders.inOneRepo("noop", runs)) {
                    harness.sendTo(0, order);
                }
                WorkerProperties p = harness.properties("fetch-wait-" + wait);
                WorkerProperties properties = new WorkerProperties(p.workerId(), p.traceRoot(), p.workRoot(), null,
                        null, null, null, null, p.blobs(), new PickupSettings(true, p.pickup().groupId(), 12,
                                Duration.ofMillis(20), null, null, null, null, Duration.ofMillis(50), null, null, null),
                        p.ceiling());
                PickupLoop worker = harness.worker(properties, Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, wait));
                worker.start();
                while (worker.assignment().isEmpty()) {
                    pause();
                }
                long start = System.nanoTime();
                long deadline = start + Duration.ofMinutes(5).toNanos();
                while (worker.finishedRuns() < runs && System.nanoTime() < deadline) {
                    pause();
                }
                long elapsed = System.nanoTime() - start;
                assertThat(worker.finishedRuns()).isEqualTo(runs);
                Thread.sleep(2_000);
                long cpu = cpuNanos();
                long idleStart = System.nanoTime();
                Thread.sleep(10_000);
                double idleCpuPerSecond = (cpuNanos() - cpu) / 1e6 / ((System.nanoTime() - idleStart) / 1e9);
                worker.stop();
                print(report, String.format(Locale.ROOT, "fetch.max.wait.ms=%d: %.0f ms per run one after another"
                        + " on one partition; idle: %.1f ms CPU per second (worker and broker)", wait,
                        elapsed / 1e6 / runs, idleCpuPerSecond));
            }
        }
        Files.write(Path.of("target", "worker-fetch-wait.txt"), report);
    }

    private static void print(List<String> report, String line) {
        System.out.println(line);
        report.add(line);
    }

    /** As a stream of work orders looks: a new Issue, packet and snapshot each, one Repo and policy for all. */
    private static List<WorkOrder> orders() {
        return TestWorkOrders.inOneRepo("noop", RUNS);
    }

    /** Runs/s of a real worker, from its first assignment to its last committed run. */
    private double worker(PickupHarness harness, int concurrent, Duration interval) throws IOException {
        WorkerProperties p = harness.properties("bench-" + concurrent + "-" + interval.toMillis());
        WorkerProperties properties = new WorkerProperties(p.workerId(), p.traceRoot(), p.workRoot(), null, null,
                null, null, null, p.blobs(), new PickupSettings(true, p.pickup().groupId(), concurrent,
                        Duration.ofMillis(20), null, null, null, null, interval, null), p.ceiling());
        PickupLoop worker = harness.worker(properties);
        worker.start();
        while (worker.assignment().isEmpty()) {
            pause();
        }
        long start = System.nanoTime();
        long deadline = start + Duration.ofMinutes(5).toNanos();
        while (worker.finishedRuns() < RUNS && System.nanoTime() < deadline) {
            pause();
        }
        long elapsed = System.nanoTime() - start;
        assertThat(worker.finishedRuns()).isEqualTo(RUNS);
        worker.stop();
        return RUNS / (elapsed / 1e9);
    }

    /**
     * CPU time of this whole JVM (the worker, the embedded broker, the stub blob store, the measuring thread): what one
     * run costs the machine here, not the worker alone.
     */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    private static void pause() {
        // Not a test's wait: a 1 ms nap keeps the measuring thread off the CPUs the worker is measured on.
        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }

    /** Records/s of the minimum a transactional worker must do: decode, produce one event, commit with the offset. */
    private static double bareTransactionalLoop(PickupTopics topics) {
        String suffix = Ids.newUlid();
        Map<String, Object> common = Map.of("bootstrap.servers", SharedKafka.bootstrapServers(),
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, PickupHarness.REGISTRY, AvroSerdeConfig.SPECIFIC_AVRO_READER,
                true);
        Map<String, Object> consumerConfig = new java.util.HashMap<>(common);
        consumerConfig.putAll(Map.of(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + suffix,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName()));
        Map<String, Object> producerConfig = new java.util.HashMap<>(common);
        producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-" + suffix);
        KafkaAvroDeserializer values = new KafkaAvroDeserializer();
        values.configure(common, false);
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(common, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig,
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
                KafkaProducer<String, Object> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                        serializer)) {
            producer.initTransactions();
            consumer.subscribe(List.of(topics.workOrders()));
            int done = 0;
            long start = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (done < RUNS && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                    if (start == 0) {
                        start = System.nanoTime();
                    }
                    WorkOrder order = (WorkOrder) values.deserialize(record.topic(), record.value());
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    String runId = Ids.newUlid();
                    RunEvent event = RunEvent.newBuilder().setEventId(Ids.newUlid()).setOccurredAt(now())
                            .setRunId(runId).setIssueId(order.getIssueId()).setRepoId(order.getRepoId())
                            .setWorkerId("bench").setPayload(new RunHeartbeat("bare loop")).build();
                    producer.beginTransaction();
                    producer.send(new ProducerRecord<>(topics.runs(), runId, event));
                    producer.sendOffsetsToTransaction(Map.of(partition, new OffsetAndMetadata(record.offset() + 1)),
                            consumer.groupMetadata());
                    producer.commitTransaction();
                    done++;
                }
            }
            long elapsed = System.nanoTime() - start;
            assertThat(done).isEqualTo(RUNS);
            return RUNS / (elapsed / 1e9);
        }
    }
}
