package dev.cwom.worker.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.events.ArtifactCreated;
import dev.cwom.events.RunEvent;
import dev.cwom.events.RunOutcome;
import dev.cwom.events.RunStarted;
import dev.cwom.events.WorkOrder;
import dev.cwom.worker.PickupSettings;
import dev.cwom.worker.WorkerProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Group commit: the ends of all runs that ended within the commit interval go out in one transaction with their
 * offsets. A worker that dies with such a batch collected but not committed loses nothing and duplicates nothing.
 */
class PickupGroupCommitTests extends PickupHarnessTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aWorkerKilledWithABatchOfEndedRunsUncommittedLeavesEveryWorkOrderToExactlyOneFinishedRun() throws Exception {
        // A long interval holds the ended runs in the committer: the batch is in the making when the worker dies.
        PickupLoop first = harness.startWorker(withCommitInterval("worker-1", Duration.ofSeconds(30)));
        await().atMost(WAIT).until(() -> first.assignment().size() == PickupHarness.PARTITIONS);
        List<WorkOrder> orders = new ArrayList<>();
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < PickupHarness.PARTITIONS; p++) {
            WorkOrder order = TestWorkOrders.forExecutor("noop");
            orders.add(order);
            RecordMetadata sent = harness.sendTo(p, order);
            partitions.add(new TopicPartition(sent.topic(), sent.partition()));
        }
        // Every start committed (the batch of starts went out), every run executed and uploaded (report and trace).
        await().atMost(WAIT).until(() -> orders.stream().allMatch(o -> harness.started(o.getIssueId()).size() == 1));
        await().atMost(WAIT).until(() -> harness.blobs.received().size() >= 2 * orders.size());
        assertThat(first.finishedRuns()).isZero();
        assertThat(orders).allMatch(o -> harness.finished(o.getIssueId()).isEmpty());

        first.halt();
        for (TopicPartition partition : partitions) {
            assertThat(harness.committedOffset(partition)).as("committed offset of %s", partition).isLessThan(1);
        }

        PickupLoop second = harness.startWorker("worker-2");
        await().atMost(WAIT).until(() -> second.finishedRuns() == orders.size());
        await().atMost(WAIT).until(() -> orders.stream().allMatch(o -> harness.artifactsArrived(o.getIssueId())));
        // Nothing of the dead batch shows up later.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> orders.stream().allMatch(o -> harness.finished(o.getIssueId()).size() == 1));

        Set<String> artifactIds = new HashSet<>();
        for (WorkOrder order : orders) {
            List<RunEvent> finished = harness.finished(order.getIssueId());
            assertThat(finished).hasSize(1);
            RunEvent end = finished.getFirst();
            assertThat(end.getWorkerId()).isEqualTo("worker-2");
            assertThat(PickupHarness.finishedPayload(end).getStatus()).isEqualTo(RunOutcome.done);
            assertThat(harness.started(order.getIssueId())).extracting(e -> ((RunStarted) e.getPayload())
                    .getWorkOrderEventId()).containsOnly(order.getEventId());
            List<ArtifactCreated> artifacts = harness.artifacts(order.getIssueId());
            assertThat(artifacts).extracting(ArtifactCreated::getRunId).containsOnly(end.getRunId());
            assertThat(artifacts).extracting(ArtifactCreated::getArtifactId)
                    .containsExactlyInAnyOrderElementsOf(PickupHarness.finishedPayload(end).getArtifactIds());
            artifacts.forEach(a -> assertThat(artifactIds.add(a.getArtifactId())).as("artifact %s once",
                    a.getArtifactId()).isTrue());
        }
        for (TopicPartition partition : partitions) {
            assertThat(harness.committedOffset(partition)).as("committed offset of %s", partition).isEqualTo(1);
        }
    }

    @Test
    void runsEndedWithinTheIntervalAreCommittedInOneTransaction() throws Exception {
        PickupLoop worker = harness.startWorker(withCommitInterval("worker-1", Duration.ofSeconds(5)));
        await().atMost(WAIT).until(() -> worker.assignment().size() == PickupHarness.PARTITIONS);
        List<WorkOrder> orders = new ArrayList<>();
        Set<TopicPartition> partitions = new HashSet<>();
        for (int p = 0; p < 4; p++) {
            WorkOrder order = TestWorkOrders.forExecutor("noop");
            orders.add(order);
            RecordMetadata sent = harness.sendTo(p, order);
            partitions.add(new TopicPartition(sent.topic(), sent.partition()));
        }
        // The four were started together and end within milliseconds of each other, well inside the interval: their
        // offsets are committed by one transaction, so no snapshot of the group's offsets has some of them only.
        Map<TopicPartition, Long> seen = Map.of();
        while (seen.values().stream().noneMatch(offset -> offset == 1)) {
            assertThat(worker.finishedRuns()).isLessThan(4);
            seen = harness.committedOffsets(partitions);
            Thread.sleep(20);
        }
        assertThat(seen).containsOnlyKeys(partitions).allSatisfy((partition, offset) -> assertThat(offset)
                .isEqualTo(1));
        await().atMost(WAIT).until(() -> orders.stream().allMatch(o -> harness.finished(o.getIssueId()).size() == 1));
        assertThat(worker.finishedRuns()).isEqualTo(4);
    }

    private WorkerProperties withCommitInterval(String workerId, Duration interval) {
        WorkerProperties p = harness.properties(workerId);
        PickupSettings pickup = p.pickup();
        return new WorkerProperties(p.workerId(), p.traceRoot(), p.workRoot(), p.heartbeatInterval(),
                p.shutdownGrace(), null, null, null, p.blobs(), new PickupSettings(true, pickup.groupId(),
                        PickupHarness.PARTITIONS, pickup.pollTimeout(), pickup.revocationGrace(),
                        pickup.redeliveryBackoff(), null, null, interval, null), p.ceiling())
                .withDisk(p.disk());
    }
}
