package dev.cwom.worker.runs;

import static dev.cwom.worker.runs.PickupHarness.finishedPayload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.events.FailureCategory;
import dev.cwom.events.RunEvent;
import dev.cwom.events.RunOutcome;
import dev.cwom.events.WorkOrder;
import dev.cwom.worker.PickupSettings;
import dev.cwom.worker.WorkerProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** A second worker joins while the first runs a work order on every partition. */
class PickupRebalanceTests extends PickupHarnessTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aRevokedRunThatDoesNotEndWithinTheGraceIsAbandonedAndRunsAgainOnTheNewOwner() throws Exception {
        HoldingExecutor held = HoldingExecutor.held();
        PickupLoop first = harness.startWorker(everyPartitionAtOnce("worker-1", Duration.ofMillis(500)), held);
        List<WorkOrder> orders = oneRunningOnEachPartition(first);

        PickupLoop second = harness.startWorker("worker-2", HoldingExecutor.released());
        await().atMost(WAIT).until(() -> !second.assignment().isEmpty()
                && first.assignment().size() + second.assignment().size() == PickupHarness.PARTITIONS);
        Set<TopicPartition> moved = second.assignment();

        for (int p = 0; p < PickupHarness.PARTITIONS; p++) {
            WorkOrder order = orders.get(p);
            if (!moved.contains(new TopicPartition(harness.topics.workOrders(), p))) {
                continue;
            }
            await().atMost(WAIT).until(() -> harness.finished(order.getIssueId()).size() == 2);
            List<RunEvent> started = harness.started(order.getIssueId());
            List<RunEvent> finished = harness.finished(order.getIssueId());
            assertThat(started).extracting(RunEvent::getWorkerId).containsExactly("worker-1", "worker-2");
            RunEvent abandoned = finished.stream().filter(e -> e.getWorkerId().equals("worker-1")).findFirst()
                    .orElseThrow();
            assertThat(abandoned.getRunId()).isEqualTo(started.get(0).getRunId());
            assertThat(finishedPayload(abandoned).getStatus()).isEqualTo(RunOutcome.failed);
            assertThat(finishedPayload(abandoned).getFailure().getCategory()).isEqualTo(FailureCategory.runtime);
            assertThat(finishedPayload(abandoned).getFailure().getMessage()).contains("was revoked");
            RunEvent rerun = finished.stream().filter(e -> e.getWorkerId().equals("worker-2")).findFirst()
                    .orElseThrow();
            assertThat(rerun.getRunId()).isEqualTo(started.get(1).getRunId());
            assertThat(finishedPayload(rerun).getStatus()).isEqualTo(RunOutcome.done);
        }

        held.release();
        for (WorkOrder order : orders) {
            await().atMost(WAIT).until(() -> harness.finished(order.getIssueId()).stream()
                    .anyMatch(e -> finishedPayload(e).getStatus() == RunOutcome.done));
            assertThat(harness.finished(order.getIssueId())).extracting(e -> finishedPayload(e).getStatus())
                    .containsOnlyOnce(RunOutcome.done);
        }
    }

    @Test
    void aRevokedRunThatEndsWithinTheGraceIsCommittedInsideTheRevocationAndNotRunAgain() throws Exception {
        HoldingExecutor held = HoldingExecutor.held();
        PickupLoop first = harness.startWorker(everyPartitionAtOnce("worker-1", Duration.ofSeconds(30)), held);
        List<WorkOrder> orders = oneRunningOnEachPartition(first);

        PickupLoop second = harness.startWorker("worker-2", HoldingExecutor.released());
        await().atMost(WAIT).until(first::revoking);
        held.release();

        await().atMost(WAIT).until(() -> !second.assignment().isEmpty()
                && first.assignment().size() + second.assignment().size() == PickupHarness.PARTITIONS);
        for (WorkOrder order : orders) {
            await().atMost(WAIT).until(() -> harness.finished(order.getIssueId()).size() == 1);
            assertThat(finishedPayload(harness.finished(order.getIssueId()).getFirst()).getStatus())
                    .isEqualTo(RunOutcome.done);
        }
        // Committed with their offsets: the new owner starts after them and runs none of them again.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(15)).until(() -> orders.stream()
                .allMatch(o -> harness.started(o.getIssueId()).size() == 1));
        assertThat(second.finishedRuns()).isZero();
    }

    private WorkerProperties everyPartitionAtOnce(String workerId, Duration revocationGrace) {
        WorkerProperties p = harness.properties(workerId);
        PickupSettings pickup = p.pickup();
        return new WorkerProperties(p.workerId(), p.traceRoot(), p.workRoot(), p.heartbeatInterval(),
                p.shutdownGrace(), null, null, null, p.blobs(), new PickupSettings(true, pickup.groupId(),
                        PickupHarness.PARTITIONS, pickup.pollTimeout(), revocationGrace,
                        pickup.redeliveryBackoff(), null, null, null, null), p.ceiling());
    }

    private List<WorkOrder> oneRunningOnEachPartition(PickupLoop worker) throws Exception {
        await().atMost(WAIT).until(() -> worker.assignment().size() == PickupHarness.PARTITIONS);
        List<WorkOrder> orders = new ArrayList<>();
        for (int p = 0; p < PickupHarness.PARTITIONS; p++) {
            WorkOrder order = TestWorkOrders.forExecutor(HoldingExecutor.NAME);
            orders.add(order);
            harness.sendTo(p, order);
        }
        await().atMost(WAIT).until(() -> orders.stream().allMatch(o -> harness.started(o.getIssueId()).size() == 1));
        return orders;
    }
}
