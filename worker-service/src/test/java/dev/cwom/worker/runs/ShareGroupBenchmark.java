package dev.cwom.worker.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.model.Run;
import dev.cwom.worker.PickupSettings;
import dev.cwom.worker.WorkerProperties;
import dev.cwom.worker.executors.ExecutionRequest;
import dev.cwom.worker.executors.ExecutionResult;
import dev.cwom.worker.executors.Executor;
import dev.cwom.worker.trace.TraceRecorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a test (its name keeps it out of Surefire's default includes, so {@code verify} never runs it): 24 workers
 * (pick-up loops in this JVM, one run at a time each) on the 12 partitions of the work-order topic, every run taking
 * 2 s, in a share group against a consumer group, where only 12 of the 24 get a partition. Run it with
 * {@code ./mvnw -B -o -pl worker-service -am test -Dtest=ShareGroupBenchmark -Dsurefire.failIfNoSpecifiedTests=false};
 * the numbers go to {@code worker-service/target/share-group-benchmark.txt}. See docs/worker.md, Share groups.
 */
class ShareGroupBenchmark {

    private static final int WORKERS = 24;
    private static final int RUNS = Integer.getInteger("cwom.benchmark.runs", 96);
    private static final Duration RUN = Duration.ofSeconds(2);

    @TempDir
    Path data;

    /** A run that takes {@link #RUN}: a long agent or CI run, as far as pick-up is concerned. */
    private static final class SleepingExecutor implements Executor {

        static final String NAME = "sleep";

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public ExecutionResult execute(ExecutionRequest request, TraceRecorder trace) {
            try {
                Thread.sleep(RUN);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ExecutionResult.success(List.of(), "slept", List.of("slept " + RUN), new Run.Cost(null, null,
                    0.0));
        }
    }

    @Test
    void shareGroupAgainstAConsumerGroupCappedAtThePartitions() throws Exception {
        List<String> report = new ArrayList<>();
        report.add("ShareGroupBenchmark " + Instant.now() + ": " + WORKERS + " workers (in-process pick-up loops, one"
                + " run at a time each), " + PickupHarness.PARTITIONS + " partitions, " + RUNS + " runs of " + RUN
                + ", embedded broker, " + Runtime.getRuntime().availableProcessors() + " CPUs");
        double consumer = measure(PickupSettings.Mode.CONSUMER_GROUP);
        print(report, String.format(Locale.ROOT, "consumer group: %.2f runs/s", consumer));
        double share = measure(PickupSettings.Mode.SHARE_GROUP);
        print(report, String.format(Locale.ROOT, "share group: %.2f runs/s, ratio to the consumer group %.2f", share,
                share / consumer));
        Files.write(Path.of("target", "share-group-benchmark.txt"), report);
    }

    /** Runs/s of {@link #WORKERS} workers in {@code mode}, from the first run started to the last committed. */
    private double measure(PickupSettings.Mode mode) throws Exception {
        try (PickupHarness harness = new PickupHarness(data.resolve(mode.name()))) {
            List<PickupLoop> workers = new ArrayList<>();
            for (int i = 0; i < WORKERS; i++) {
                WorkerProperties p = harness.properties("bench-" + mode + "-" + i);
                PickupSettings k = p.pickup();
                WorkerProperties properties = new WorkerProperties(p.workerId(), p.traceRoot(), p.workRoot(), null,
                        null, null, null, null, p.blobs(), new PickupSettings(true, k.groupId(), 1,
                                Duration.ofMillis(20), null, null, null, null, null, null, mode,
                                new PickupSettings.ShareGroup(Duration.ofSeconds(15), 5)), p.ceiling());
                workers.add(harness.startWorker(properties, new SleepingExecutor()));
            }
            // One work order first, to wait out joining and the share group's first start-up, not measured.
            harness.sendAll(TestWorkOrders.inOneRepo(SleepingExecutor.NAME, 1));
            long until = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (finished(workers) < 1 && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            long start = System.nanoTime();
            harness.sendAll(TestWorkOrders.inOneRepo(SleepingExecutor.NAME, RUNS));
            until = start + Duration.ofMinutes(10).toNanos();
            while (finished(workers) < RUNS + 1 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            long elapsed = System.nanoTime() - start;
            assertThat(finished(workers)).isEqualTo(RUNS + 1);
            workers.forEach(PickupLoop::stop);
            return RUNS / (elapsed / 1e9);
        }
    }

    private static int finished(List<PickupLoop> workers) {
        return workers.stream().mapToInt(PickupLoop::finishedRuns).sum();
    }

    private static void print(List<String> report, String line) {
        System.out.println(line);
        report.add(line);
    }
}
