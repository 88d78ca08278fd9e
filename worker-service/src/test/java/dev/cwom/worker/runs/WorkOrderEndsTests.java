package dev.cwom.worker.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.events.RunEvent;
import dev.cwom.events.WorkOrder;
import dev.cwom.model.Ids;
import dev.cwom.testing.SharedKafka;
import dev.cwom.worker.WorkerProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * A work order's end is found on the runs topic by its event id: the {@code RunFinished} committed as its end carries
 * the header, one recorded for an attempt whose end was not committed does not, and nothing written before the work
 * order is looked at.
 */
class WorkOrderEndsTests extends PickupHarnessTest {

    private static final Duration WAIT = Duration.ofSeconds(45);

    private WorkOrderEnds ends(String workerId) {
        WorkerProperties properties = harness.properties(workerId);
        return new WorkOrderEnds(PickupClients.forBroker(SharedKafka.bootstrapServers(), PickupHarness.REGISTRY,
                properties), harness.topics.runs(), Clock.systemUTC());
    }

    @Test
    void theRunFinishedCommittedAsAWorkOrdersEndIsFoundByTheWorkOrdersEventId() throws Exception {
        harness.startWorker("worker-1");
        WorkOrder order = TestWorkOrders.forExecutor("noop");
        RecordMetadata sent = harness.send(order);
        await().atMost(WAIT).until(() -> harness.finished(order.getIssueId()).size() == 1);
        RunEvent finished = harness.finished(order.getIssueId()).getFirst();
        Instant writtenAt = Instant.ofEpochMilli(sent.timestamp());

        WorkOrderEnds ends = ends("reader");
        assertThat(ends.find(order.getEventId(), writtenAt, WAIT))
                .isEqualTo(new WorkOrderEnds.Found(finished.getRunId(), true));
        assertThat(ends.find(Ids.newUlid(), writtenAt, WAIT)).isEqualTo(new WorkOrderEnds.Found(null, true));
        // Ends are written after their work orders: one "written" later than everything is not searched before it.
        assertThat(ends.find(order.getEventId(), Instant.now().plus(Duration.ofHours(1)), WAIT))
                .isEqualTo(new WorkOrderEnds.Found(null, true));
    }

    @Test
    void aRunFinishedRecordedWithoutItsWorkOrdersOffsetIsNotAnEnd() throws Exception {
        var properties = harness.properties("worker-1");
        properties = new WorkerProperties(properties.workerId(), properties.traceRoot(), properties.workRoot(),
                properties.heartbeatInterval(), Duration.ofMillis(500), null, null, null, properties.blobs(),
                properties.pickup(), properties.ceiling());
        PickupLoop first = harness.startWorker(properties, HoldingExecutor.held());
        WorkOrder order = TestWorkOrders.forExecutor(HoldingExecutor.NAME);
        RecordMetadata sent = harness.send(order);
        await().atMost(WAIT).until(() -> harness.started(order.getIssueId()).size() == 1);
        first.stop(); // past its grace: RunFinished failed "worker shut down", the work order left for the next

        await().atMost(WAIT).until(() -> harness.finished(order.getIssueId()).size() == 1);
        assertThat(ends("reader").find(order.getEventId(), Instant.ofEpochMilli(sent.timestamp()), WAIT))
                .isEqualTo(new WorkOrderEnds.Found(null, true));
    }
}
