package dev.cwom.worker.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.events.RunEvent;
import dev.cwom.events.RunStarted;
import dev.cwom.events.WorkOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Duplicates the outbox relay may publish (same {@code event_id}, a later offset) are skipped by whichever worker owns
 * the partition when they arrive, also one that never saw the original: a worker that is assigned a partition reads
 * back the work orders just before the group's committed offset, which were all handled.
 */
class PickupDuplicateTests extends PickupHarnessTest {

    private static final Duration WAIT = Duration.ofSeconds(45);

    @Test
    void aNewWorkerInTheGroupSkipsADuplicateOfAWorkOrderHandledBeforeTheCommittedOffset() throws Exception {
        PickupLoop first = harness.startWorker("worker-1");
        WorkOrder order = TestWorkOrders.forExecutor("noop");
        harness.send(order);
        // Rejected by the first worker: an undecodable record in the window the next one reads back.
        harness.sendRaw(order.getIssueId(), "not a work order".getBytes(StandardCharsets.UTF_8));
        await().atMost(WAIT).until(() -> harness.finished(order.getIssueId()).size() == 1);
        await().atMost(WAIT).until(() -> harness.rejected().size() == 1);
        first.stop();
        assertThat(first.isRunning()).isFalse();

        RecordMetadata duplicate = harness.send(order);
        PickupLoop second = harness.startWorker("worker-2");
        TopicPartition partition = new TopicPartition(duplicate.topic(), duplicate.partition());
        await().atMost(WAIT).until(() -> harness.committedOffset(partition) == duplicate.offset() + 1);

        WorkOrder next = TestWorkOrders.forExecutor("noop");
        next.setIssueId(order.getIssueId()); // same key, same partition: after the duplicate
        harness.send(next);
        await().atMost(WAIT).until(() -> harness.finished(order.getIssueId()).size() == 2);
        assertThat(harness.started(order.getIssueId())).extracting(PickupDuplicateTests::workOrderEventId)
                .containsExactly(order.getEventId(), next.getEventId());
        assertThat(harness.started(order.getIssueId())).extracting(RunEvent::getWorkerId)
                .containsExactly("worker-1", "worker-2");
        assertThat(second.finishedRuns()).isOne();
        // Nothing else becomes visible later: the duplicate never started a run.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> harness.started(order.getIssueId()).size() == 2);
    }

    @Test
    void aWorkerThatTakesOverPartitionsInARebalanceSkipsDuplicatesOfWhatTheOtherHandled() throws Exception {
        PickupLoop first = harness.startWorker("worker-1");
        await().atMost(WAIT).until(() -> first.assignment().size() == PickupHarness.PARTITIONS);
        List<WorkOrder> orders = new ArrayList<>();
        for (int p = 0; p < PickupHarness.PARTITIONS; p++) {
            WorkOrder order = TestWorkOrders.forExecutor("noop");
            orders.add(order);
            harness.sendTo(p, order);
        }
        await().atMost(WAIT).until(() -> orders.stream().allMatch(o -> harness.finished(o.getIssueId()).size() == 1));

        PickupLoop second = harness.startWorker("worker-2");
        await().atMost(WAIT).until(() -> !second.assignment().isEmpty() && first.assignment().size()
                + second.assignment().size() == PickupHarness.PARTITIONS);
        List<RecordMetadata> duplicates = new ArrayList<>();
        for (int p = 0; p < PickupHarness.PARTITIONS; p++) {
            duplicates.add(harness.sendTo(p, orders.get(p)));
        }

        // Every duplicate is handled, whichever worker owns its partition now.
        for (RecordMetadata duplicate : duplicates) {
            TopicPartition partition = new TopicPartition(duplicate.topic(), duplicate.partition());
            await().atMost(WAIT).until(() -> harness.committedOffset(partition) == duplicate.offset() + 1);
        }
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> orders.stream().allMatch(o -> harness.started(o.getIssueId()).size() == 1));
        assertThat(second.finishedRuns()).isZero();
    }

    private static String workOrderEventId(RunEvent started) {
        return ((RunStarted) started.getPayload()).getWorkOrderEventId();
    }
}
