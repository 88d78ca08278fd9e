package dev.cwom.worker.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.events.RunEvent;
import dev.cwom.events.RunOutcome;
import dev.cwom.events.RunStarted;
import dev.cwom.events.WorkOrder;
import dev.cwom.testing.SharedKafka;
import dev.cwom.worker.PickupSettings;
import dev.cwom.worker.WorkerProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.junit.jupiter.api.Test;

/**
 * Workers in {@code share-group} mode against the shared broker: a run outlives the acquisition lock and runs once;
 * a worker halted mid-run leaves its work order to another worker, and exactly one {@code RunFinished} ends it; a
 * work order delivered again after its end was committed (its worker died before acknowledging) runs no second time.
 */
class ShareGroupPickupTests extends PickupHarnessTest {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Duration LOCK = Duration.ofSeconds(3);

    private WorkerProperties shareMode(String workerId) {
        WorkerProperties p = harness.properties(workerId);
        PickupSettings k = p.pickup();
        return new WorkerProperties(p.workerId(), p.traceRoot(), p.workRoot(), p.heartbeatInterval(),
                p.shutdownGrace(), null, null, null, p.blobs(), new PickupSettings(true, k.groupId(),
                        k.maxConcurrentRuns(), k.pollTimeout(), k.revocationGrace(), k.redeliveryBackoff(),
                        k.recentWorkOrders(), k.readBackTimeout(), k.commitInterval(), k.maxConcurrentShellRuns(),
                        PickupSettings.Mode.SHARE_GROUP, new PickupSettings.ShareGroup(LOCK, 5)), p.ceiling())
                .withDisk(p.disk());
    }

    @Test
    void aRunLongerThanTheLockKeepsItsWorkOrderAndEndsOnce() throws Exception {
        HoldingExecutor one = HoldingExecutor.held();
        HoldingExecutor two = HoldingExecutor.held();
        PickupLoop first = harness.startWorker(shareMode("worker-1"), one);
        PickupLoop second = harness.startWorker(shareMode("worker-2"), two);
        WorkOrder order = TestWorkOrders.forExecutor(HoldingExecutor.NAME);
        harness.send(order);
        await().atMost(WAIT).until(() -> harness.started(order.getIssueId()).size() == 1);
        String holder = harness.started(order.getIssueId()).getFirst().getWorkerId();

        // Three lock durations: renewed, never delivered again, so neither worker starts it a second time.
        Thread.sleep(LOCK.multipliedBy(3).toMillis());
        assertThat(harness.started(order.getIssueId())).hasSize(1);
        assertThat(one.started() + two.started()).isOne();
        one.release();
        two.release();

        await().atMost(WAIT).until(() -> harness.finished(order.getIssueId()).size() == 1);
        RunEvent finished = harness.finished(order.getIssueId()).getFirst();
        assertThat(finished.getWorkerId()).isEqualTo(holder);
        assertThat(PickupHarness.finishedPayload(finished).getStatus()).isEqualTo(RunOutcome.done);
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(8))
                .until(() -> harness.started(order.getIssueId()).size() == 1);
        assertThat(first.finishedRuns() + second.finishedRuns()).isOne();
    }

    @Test
    void aWorkerHaltedMidRunLeavesItsWorkOrderToAnotherAndOneRunFinishedEndsIt() throws Exception {
        PickupLoop first = harness.startWorker(shareMode("worker-1"), HoldingExecutor.held());
        WorkOrder order = TestWorkOrders.forExecutor(HoldingExecutor.NAME);
        harness.send(order);
        await().atMost(WAIT).until(() -> harness.started(order.getIssueId()).size() == 1);

        first.halt();
        PickupLoop second = harness.startWorker(shareMode("worker-2"), HoldingExecutor.released());

        await().atMost(WAIT).until(() -> harness.finished(order.getIssueId()).size() == 1);
        List<RunEvent> started = harness.started(order.getIssueId());
        assertThat(started).extracting(RunEvent::getWorkerId).containsExactly("worker-1", "worker-2");
        RunEvent finished = harness.finished(order.getIssueId()).getFirst();
        assertThat(finished.getRunId()).isEqualTo(started.get(1).getRunId());
        assertThat(PickupHarness.finishedPayload(finished).getStatus()).isEqualTo(RunOutcome.done);
        // Every artifact is the second attempt's, each once.
        await().atMost(WAIT).until(() -> harness.artifactsArrived(order.getIssueId()));
        assertThat(harness.artifacts(order.getIssueId())).allMatch(a -> a.getRunId().equals(finished.getRunId()));
        assertThat(harness.artifacts(order.getIssueId())).extracting(a -> a.getArtifactId()).doesNotHaveDuplicates();
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(8))
                .until(() -> harness.finished(order.getIssueId()).size() == 1);
        assertThat(second.finishedRuns()).isOne();
    }

    @Test
    void aWorkOrderDeliveredAgainAfterItsEndWasCommittedRunsNoSecondTime() throws Exception {
        // An end of another work order, re-sent as the end a dead worker committed for this one before acknowledging.
        PickupLoop first = harness.startWorker(shareMode("worker-1"));
        WorkOrder earlier = TestWorkOrders.forExecutor("noop");
        harness.send(earlier);
        await().atMost(WAIT).until(() -> harness.finished(earlier.getIssueId()).size() == 1);
        first.stop();
        RunEvent end = harness.finished(earlier.getIssueId()).getFirst();

        WorkOrder order = TestWorkOrders.forExecutor("noop");
        harness.send(order);
        // The dead worker: it took the work order (delivery 1), committed its end, and never acknowledged.
        WorkerProperties properties = shareMode("dead");
        PickupClients clients = PickupClients.forBroker(SharedKafka.bootstrapServers(), PickupHarness.REGISTRY,
                properties);
        try (Admin admin = clients.admin()) {
            ShareGroups.configure(admin, properties.pickup());
        }
        try (KafkaShareConsumer<byte[], byte[]> dead = clients.shareConsumer(0)) {
            dead.subscribe(List.of(harness.topics.workOrders()));
            ConsumerRecord<byte[], byte[]> taken = null;
            long until = System.currentTimeMillis() + WAIT.toMillis();
            while (taken == null && System.currentTimeMillis() < until) {
                ConsumerRecords<byte[], byte[]> records = dead.poll(Duration.ofMillis(200));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (taken == null && order.getIssueId().equals(new String(record.key(), StandardCharsets.UTF_8))) {
                        taken = record;
                    } else {
                        dead.acknowledge(record, AcknowledgeType.RELEASE); // not the one this test is about
                    }
                }
            }
            assertThat(taken).isNotNull();
            assertThat(taken.deliveryCount()).contains((short) 1);
            harness.sendTo(harness.topics.runs(), end.getRunId(), end,
                    Map.of(WorkOrderEnds.HEADER, order.getEventId().getBytes(StandardCharsets.UTF_8)));
        } // closed without an acknowledgement: the work order is available again, its delivery count 1

        PickupLoop second = harness.startWorker(shareMode("worker-2"));
        WorkOrder next = TestWorkOrders.forExecutor("noop");
        next.setIssueId(order.getIssueId()); // same partition, after it
        harness.send(next);
        await().atMost(WAIT).until(() -> harness.finished(order.getIssueId()).size() == 1);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
                .until(() -> harness.started(order.getIssueId()).size() == 1);
        assertThat(harness.started(order.getIssueId())).extracting(e -> ((RunStarted) e.getPayload())
                .getWorkOrderEventId()).containsExactly(next.getEventId());
        assertThat(harness.finished(order.getIssueId()).getFirst().getWorkerId()).isEqualTo("worker-2");
        assertThat(second.isRunning()).isTrue();
    }
}
