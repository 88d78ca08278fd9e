package dev.cwom.worker.runs;

import static dev.cwom.worker.runs.PickupHarness.finishedPayload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.events.ArtifactCreated;
import dev.cwom.events.FailureCategory;
import dev.cwom.events.RunEvent;
import dev.cwom.events.RunFinished;
import dev.cwom.events.RunOutcome;
import dev.cwom.events.WorkOrder;
import dev.cwom.model.Ids;
import dev.cwom.model.Run;
import dev.cwom.registry.SchemaRegistryServer;
import dev.cwom.testing.SharedKafka;
import dev.cwom.worker.executors.ExecutionRequest;
import dev.cwom.worker.executors.ExecutionResult;
import dev.cwom.worker.executors.Executor;
import dev.cwom.worker.trace.TraceRecorder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A finish transaction aborted by a retryable serialization failure: the real registry is stopped while a run ends,
 * so the first {@code ArtifactCreated} of the worker cannot get its schema id (the {@code RunEvent} schema is cached
 * since {@code RunStarted}), and started again on the same port before the next attempt ends.
 */
class PickupFinishAbortTests {

    private static final Duration WAIT = Duration.ofSeconds(45);

    @TempDir
    Path data;

    private SchemaRegistryServer.Settings settings;
    private SchemaRegistryServer registry;
    private PickupHarness harness;

    @BeforeEach
    void start() throws Exception {
        settings = SchemaRegistryServer.Settings.defaults().withKafka(SharedKafka.bootstrapServers())
                .withTopic("_schemas." + Ids.newUlid().toLowerCase(Locale.ROOT));
        registry = new SchemaRegistryServer(settings);
        int port = registry.start();
        settings = settings.withAddress("127.0.0.1", port);
        harness = new PickupHarness(data, registry.url());
    }

    @AfterEach
    void stop() {
        harness.close();
        registry.close();
    }

    @Test
    void anAttemptWhoseFinishTransactionIsAbortedIsRecordedFailedAndTheWorkOrderRunsAgain() throws Exception {
        StepExecutor executor = new StepExecutor();
        PickupLoop worker = harness.startWorker("worker-1", executor);
        WorkOrder order = TestWorkOrders.forExecutor(StepExecutor.NAME);
        harness.send(order);
        await().atMost(WAIT).until(() -> harness.started(order.getIssueId()).size() == 1);
        String firstRun = harness.started(order.getIssueId()).getFirst().getRunId();

        registry.close();
        executor.step();

        await().atMost(WAIT).until(() -> harness.finished(order.getIssueId()).size() == 1);
        RunEvent aborted = harness.finished(order.getIssueId()).getFirst();
        assertThat(aborted.getRunId()).isEqualTo(firstRun);
        RunFinished abortedPayload = finishedPayload(aborted);
        assertThat(abortedPayload.getStatus()).isEqualTo(RunOutcome.failed);
        assertThat(abortedPayload.getFailure().getCategory()).isEqualTo(FailureCategory.runtime);
        assertThat(abortedPayload.getFailure().getMessage()).contains("finish run " + firstRun)
                .contains("was aborted").contains("Schema registry unreachable")
                .contains("runs again as a new attempt");
        assertThat(abortedPayload.getArtifactIds()).isEmpty();

        // The next attempt is already waiting for its step when the registry is back.
        await().atMost(WAIT).until(() -> harness.started(order.getIssueId()).size() == 2);
        registry = new SchemaRegistryServer(settings);
        registry.start();
        executor.step();

        await().atMost(WAIT).until(() -> harness.finished(order.getIssueId()).size() == 2);
        await().atMost(WAIT).until(() -> harness.artifactsArrived(order.getIssueId()));
        String secondRun = harness.started(order.getIssueId()).get(1).getRunId();
        RunEvent second = harness.finished(order.getIssueId()).get(1);
        assertThat(second.getRunId()).isEqualTo(secondRun).isNotEqualTo(firstRun);
        assertThat(finishedPayload(second).getStatus()).isEqualTo(RunOutcome.done);
        assertThat(worker.finishedRuns()).isEqualTo(1);
        // Nothing else becomes visible later: every RunStarted has exactly one RunFinished.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> harness.finished(order.getIssueId()).size() == 2);
        Map<String, Long> finishedPerRun = harness.finished(order.getIssueId()).stream()
                .collect(Collectors.groupingBy(RunEvent::getRunId, Collectors.counting()));
        assertThat(finishedPerRun).containsOnlyKeys(harness.started(order.getIssueId()).stream()
                .map(RunEvent::getRunId).toList()).allSatisfy((run, count) -> assertThat(count).isOne());
        assertThat(harness.artifacts(order.getIssueId())).extracting(ArtifactCreated::getRunId)
                .containsOnly(secondRun);
    }

    /** An executor named {@code step} whose every run waits for one {@link #step()}, in order. */
    private static final class StepExecutor implements Executor {

        static final String NAME = "step";

        private final Semaphore steps = new Semaphore(0);

        void step() {
            steps.release();
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public ExecutionResult execute(ExecutionRequest request, TraceRecorder trace) {
            try {
                if (!steps.tryAcquire(2, TimeUnit.MINUTES)) {
                    return ExecutionResult.refused(dev.cwom.model.FailureCategory.RUNTIME, "no step", List.of());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ExecutionResult.refused(dev.cwom.model.FailureCategory.RUNTIME, "interrupted", List.of());
            }
            return ExecutionResult.success(List.of(), "stepped", List.of("stepped"), new Run.Cost(null, null, 0.0));
        }
    }
}
