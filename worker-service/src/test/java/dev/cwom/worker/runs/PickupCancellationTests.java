package dev.cwom.worker.runs;

import static dev.cwom.worker.runs.PickupHarness.finishedPayload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.events.RunEvent;
import dev.cwom.events.RunFinished;
import dev.cwom.events.RunOutcome;
import dev.cwom.events.WorkOrder;
import dev.cwom.worker.WorkerProperties;
import dev.cwom.worker.executors.FakeAgent;
import dev.cwom.worker.executors.HttpExecutor;
import dev.cwom.worker.executors.ShellExecutor;
import dev.cwom.worker.executors.TestWorkOrder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Canceled Issues stop their work: queued work orders are not run, runs in flight are stopped and end canceled. */
class PickupCancellationTests extends PickupHarnessTest {

    private static final Duration WAIT = Duration.ofSeconds(45);

    @Test
    void aQueuedWorkOrderOfACanceledIssueStartsNoRunAndItsOffsetIsCommitted() throws Exception {
        PickupLoop worker = harness.startWorker("worker-1");
        WorkOrder order = TestWorkOrders.forExecutor("noop");
        harness.cancel(order.getIssueId(), order.getRepoId(), Instant.now());
        await().atMost(WAIT).until(() -> worker.canceledIssues().canceledAt(order.getIssueId()) != null);

        RecordMetadata sent = harness.send(order);
        WorkOrder next = TestWorkOrders.forExecutor("noop");
        harness.sendTo(sent.partition(), next);

        // the next work order on the same partition ran: the canceled one was handled before it
        await().atMost(WAIT).until(() -> harness.finished(next.getIssueId()).size() == 1);
        TopicPartition partition = new TopicPartition(sent.topic(), sent.partition());
        await().atMost(WAIT).until(() -> harness.committedOffset(partition) > sent.offset() + 1);
        assertThat(harness.runEvents(order.getIssueId())).as("no Run for a work order that never ran").isEmpty();
        assertThat(harness.started(next.getIssueId())).hasSize(1);
    }

    @Test
    void aLongShellRunIsStoppedWithinSecondsOfItsIssuesCancellationAndEndsCanceledWithNoProcessLeft()
            throws Exception {
        harness.startWorker("worker-1", shell());
        // a duration no other process has, to find this run's processes among the machine's
        String marker = "60." + ThreadLocalRandom.current().nextInt(100_000, 1_000_000);
        TestWorkOrder inputs = new TestWorkOrder().issueMeta("executor", ShellExecutor.NAME)
                .commands(List.of("sh", "-c", "sleep " + marker + " & sleep " + marker)).allowed("sh").minutes(10);
        WorkOrder order = TestWorkOrders.of(inputs);
        RecordMetadata sent = harness.send(order);
        await().atMost(WAIT).until(() -> harness.started(order.getIssueId()).size() == 1);
        await().atMost(WAIT).until(() -> running(marker) >= 2);

        Instant canceledAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        long before = System.nanoTime();
        harness.cancel(order.getIssueId(), order.getRepoId(), canceledAt);

        await().atMost(Duration.ofSeconds(20)).until(() -> harness.finished(order.getIssueId()).size() == 1);
        Duration took = Duration.ofNanos(System.nanoTime() - before);
        assertThat(took).as("stopped within seconds, not after the 60 s sleep").isLessThan(Duration.ofSeconds(20));
        RunEvent finishedEvent = harness.finished(order.getIssueId()).getFirst();
        RunFinished finished = finishedPayload(finishedEvent);
        assertThat(finished.getStatus()).isEqualTo(RunOutcome.canceled);
        assertThat(finished.getFailure()).isNull();
        assertThat(finished.getResultSummary()).startsWith("canceled: Issue " + order.getIssueId())
                .contains("was canceled at " + canceledAt);
        assertThat(finished.getDecisionLog()).anyMatch(line -> line.contains("process tree"));
        assertThat(finishedEvent.getRunId()).isEqualTo(harness.started(order.getIssueId()).getFirst().getRunId());
        assertThat(running(marker)).as("processes of the canceled run still alive").isZero();
        await().atMost(WAIT).until(() -> harness.artifactsArrived(order.getIssueId()));
        TopicPartition partition = new TopicPartition(sent.topic(), sent.partition());
        assertThat(harness.committedOffset(partition)).isEqualTo(sent.offset() + 1);
    }

    @Test
    void anHttpRunWaitingForItsAgentIsStoppedWithinSecondsOfItsIssuesCancellationAndEndsCanceled() throws Exception {
        // the agent holds the request for 5 min and the call's timeout is the 10 min budget: only the cancellation
        // can end the run within the 20 s allowed below
        try (FakeAgent agent = new FakeAgent().hang(Duration.ofMinutes(5))) {
            // the agent listens on loopback, which the http executor calls only when an allowed host names it
            WorkerProperties base = harness.properties("worker-1");
            WorkerProperties loopbackAgent = new WorkerProperties(base.workerId(), base.traceRoot(), base.workRoot(),
                    base.heartbeatInterval(), base.shutdownGrace(), base.executors(), base.shell(), base.http(),
                    base.blobs(), base.pickup(), new WorkerProperties.Ceiling(null, null, null, null,
                            List.of("127.0.0.1"), null, null, null));
            harness.startWorker(loopbackAgent, new HttpExecutor(WorkerProperties.defaults().http(),
                    Duration.ofMinutes(10), Clock.systemUTC()));
            TestWorkOrder inputs = new TestWorkOrder().issueMeta("executor", HttpExecutor.NAME)
                    .issueMeta(HttpExecutor.META_WEBHOOK_URL, agent.webhook()).minutes(10);
            WorkOrder order = TestWorkOrders.of(inputs);
            RecordMetadata sent = harness.send(order);
            await().atMost(WAIT).until(() -> harness.started(order.getIssueId()).size() == 1);
            await().atMost(WAIT).until(() -> agent.received() != null);

            Instant canceledAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            long before = System.nanoTime();
            harness.cancel(order.getIssueId(), order.getRepoId(), canceledAt);

            await().atMost(Duration.ofSeconds(20)).until(() -> harness.finished(order.getIssueId()).size() == 1);
            Duration took = Duration.ofNanos(System.nanoTime() - before);
            assertThat(took).as("stopped within seconds, not when the agent answers or the call times out")
                    .isLessThan(Duration.ofSeconds(20));
            RunFinished finished = finishedPayload(harness.finished(order.getIssueId()).getFirst());
            assertThat(finished.getStatus()).isEqualTo(RunOutcome.canceled);
            assertThat(finished.getFailure()).isNull();
            assertThat(finished.getResultSummary()).startsWith("canceled: Issue " + order.getIssueId())
                    .contains("was canceled at " + canceledAt).contains("executor 'http'");
            assertThat(finished.getDecisionLog())
                    .anyMatch(line -> line.contains("while waiting for agent webhook " + agent.webhook()));
            await().atMost(WAIT).until(() -> harness.artifactsArrived(order.getIssueId()));
            TopicPartition partition = new TopicPartition(sent.topic(), sent.partition());
            assertThat(harness.committedOffset(partition)).isEqualTo(sent.offset() + 1);
        }
    }

    /** Live processes whose command line names {@code marker}. */
    private static long running(String marker) {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(marker)).count();
    }

    private static ShellExecutor shell() {
        return new ShellExecutor(WorkerProperties.defaults().shell(), Duration.ofMinutes(1), Clock.systemUTC());
    }
}
