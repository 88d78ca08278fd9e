package dev.cwom.worker.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.events.WorkOrder;
import dev.cwom.model.Ids;
import dev.cwom.registry.SchemaRegistryServer;
import dev.cwom.testing.SharedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The window that gave two {@code done} runs of one work order: the outbox relay crashes between the broker's ack and
 * its commit, so the same work order (same event id) is published again, and the worker that meets the copy never saw
 * the original and cannot read back what was handled (here: the schema registry is away while it takes the partition,
 * so the work orders before the committed offset cannot be decoded). It must hold the partition until it knows, not
 * take the copy for new work once the registry is back.
 */
class PickupDuplicateReadBackTests {

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
    void aWorkerThatCannotReadBackWhatWasHandledHoldsThePartitionAndSkipsTheRelaysDuplicateOnceItCan()
            throws Exception {
        PickupLoop first = harness.startWorker("worker-1");
        WorkOrder order = TestWorkOrders.forExecutor("noop");
        RecordMetadata original = harness.send(order);
        await().atMost(WAIT).until(() -> harness.finished(order.getIssueId()).size() == 1);
        first.stop();

        // What the relay publishes after a crash between the ack and the outbox commit: the same work order again.
        RecordMetadata duplicate = harness.send(order);
        TopicPartition partition = new TopicPartition(duplicate.topic(), duplicate.partition());
        assertThat(duplicate.partition()).isEqualTo(original.partition());
        assertThat(harness.committedOffset(partition)).isEqualTo(duplicate.offset());

        registry.close();
        PickupLoop second = harness.startWorker("worker-2");
        await().atMost(WAIT).until(() -> second.assignment().contains(partition));
        // Held: the copy is neither run nor skipped while what came before it cannot be read.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> harness.committedOffset(partition) == duplicate.offset());

        registry = new SchemaRegistryServer(settings);
        registry.start();
        await().atMost(WAIT).until(() -> harness.committedOffset(partition) == duplicate.offset() + 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> harness.started(order.getIssueId()).size() == 1);
        assertThat(harness.finished(order.getIssueId())).hasSize(1);
        assertThat(second.finishedRuns()).isZero();
    }
}
