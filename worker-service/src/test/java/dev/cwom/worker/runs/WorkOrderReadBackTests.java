package dev.cwom.worker.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.events.WorkOrder;
import dev.cwom.serde.KafkaAvroDeserializer;
import dev.cwom.testing.SharedKafka;
import dev.cwom.worker.WorkerProperties;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class WorkOrderReadBackTests extends PickupHarnessTest {

    @Test
    void readsTheWorkOrdersOfTheWindowBeforeTheCommittedOffsetAndNothingAfterIt() throws Exception {
        WorkOrder first = TestWorkOrders.forExecutor("noop");
        String key = first.getIssueId(); // one key, one partition
        List<WorkOrder> orders = new ArrayList<>(List.of(first));
        List<RecordMetadata> sent = new ArrayList<>(List.of(harness.send(first)));
        sent.add(harness.sendRaw(key, "not a work order".getBytes(StandardCharsets.UTF_8)));
        for (int i = 0; i < 3; i++) {
            WorkOrder order = TestWorkOrders.forExecutor("noop");
            order.setIssueId(key);
            orders.add(order);
            sent.add(harness.send(order));
        }
        TopicPartition partition = new TopicPartition(sent.getFirst().topic(), sent.getFirst().partition());
        long committed = sent.get(4).offset(); // the last one is not handled yet
        WorkerProperties properties = harness.properties("reader");

        try (KafkaAvroDeserializer deserializer = clients(SharedKafka.bootstrapServers(), properties)
                .workOrderDeserializer()) {
            WorkOrderReadBack readBack = new WorkOrderReadBack(clients(SharedKafka.bootstrapServers(), properties),
                    deserializer, 3, Clock.systemUTC(), "reader");
            WorkOrderReadBack.Window window = readBack.read(Map.of(partition, committed),
                    Instant.now().plusSeconds(30)).get(partition);

            // The window is the last 3 offsets before the committed one: the undecodable record and two work orders.
            assertThat(window.complete()).isTrue();
            assertThat(window.from()).isEqualTo(sent.get(1).offset());
            assertThat(window.handled()).containsExactly(
                    new WorkOrderReadBack.Handled(orders.get(1).getEventId(), sent.get(2).offset()),
                    new WorkOrderReadBack.Handled(orders.get(2).getEventId(), sent.get(3).offset()));
        }
    }

    @Test
    void aPartitionWithoutACommittedOffsetHasNothingToReadBack() throws Exception {
        WorkerProperties properties = harness.properties("reader");
        TopicPartition partition = new TopicPartition(harness.topics.workOrders(), 0);
        try (KafkaAvroDeserializer deserializer = clients(SharedKafka.bootstrapServers(), properties)
                .workOrderDeserializer()) {
            WorkOrderReadBack.Window window = new WorkOrderReadBack(clients(SharedKafka.bootstrapServers(),
                    properties), deserializer, 10, Clock.systemUTC(), "reader")
                    .read(Map.of(partition, 0L), Instant.now().plusSeconds(30)).get(partition);

            assertThat(window.complete()).isTrue();
            assertThat(window.handled()).isEmpty();
        }
    }

    @Test
    void aBrokerThatCannotBeReadEndsTheReadBackAtItsDeadlineWithNothing() throws Exception {
        WorkerProperties properties = harness.properties("reader");
        PickupClients unreachable = clients("127.0.0.1:1", properties);
        TopicPartition partition = new TopicPartition(harness.topics.workOrders(), 0);
        Instant deadline = Instant.now().plusSeconds(1);
        try (KafkaAvroDeserializer deserializer = unreachable.workOrderDeserializer()) {
            WorkOrderReadBack.Window window = new WorkOrderReadBack(unreachable, deserializer, 10, Clock.systemUTC(),
                    "reader").read(Map.of(partition, 5L), deadline).get(partition);

            assertThat(window.complete()).isFalse();
            assertThat(window.handled()).isEmpty();
            assertThat(Duration.between(deadline, Instant.now())).isLessThan(Duration.ofSeconds(5));
        }
    }

    private static PickupClients clients(String bootstrapServers, WorkerProperties properties) {
        return PickupClients.forBroker(bootstrapServers, PickupHarness.REGISTRY, properties);
    }
}
