package dev.cwom.worker.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.worker.WorkerProperties;
import java.util.Map;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

class PickupClientsTests {

    private static WorkerProperties worker(String id) {
        return new WorkerProperties(id, null, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void exactlyOnceSettingsWinOverWhatSpringKafkaIsGiven() {
        Map<String, Object> spring = Map.of("bootstrap.servers", "127.0.0.1:1", "enable.auto.commit", true,
                "isolation.level", "read_uncommitted", "group.id", "someone-else", "auto.offset.reset", "latest",
                "schema.registry.url", "mock://clients-test");

        Map<String, Object> consumer = new PickupClients(spring, spring, worker("worker-1")).consumerConfig();

        assertThat(consumer).containsEntry("bootstrap.servers", "127.0.0.1:1")
                .containsEntry("schema.registry.url", "mock://clients-test")
                .containsEntry("enable.auto.commit", false)
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("group.id", "cwom-workers")
                .containsEntry("auto.offset.reset", "earliest")
                .containsEntry("partition.assignment.strategy", CooperativeStickyAssignor.class.getName())
                .containsEntry("value.deserializer", ByteArrayDeserializer.class)
                .containsEntry("fetch.max.wait.ms", PickupClients.FETCH_MAX_WAIT_MS);
    }

    @Test
    void aFetchWaitGivenToSpringKafkaIsKept() {
        Map<String, Object> spring = Map.of("bootstrap.servers", "127.0.0.1:1", "fetch.max.wait.ms", 200,
                "schema.registry.url", "mock://clients-test");

        assertThat(new PickupClients(spring, spring, worker("worker-1")).consumerConfig())
                .containsEntry("fetch.max.wait.ms", 200);
    }

    @Test
    void theFollowerOfCanceledIssuesWaitsKafkasDefaultForAFetchUnlessSpringKafkaSetsOne() {
        Map<String, Object> spring = Map.of("bootstrap.servers", "127.0.0.1:1",
                "schema.registry.url", "mock://clients-test");
        Map<String, Object> given = new java.util.HashMap<>(spring);
        given.put("fetch.max.wait.ms", 200);

        assertThat(new PickupClients(spring, spring, worker("worker-1")).canceledIssuesConfig())
                .doesNotContainKey("fetch.max.wait.ms").doesNotContainKey("group.id")
                .containsEntry("isolation.level", "read_committed");
        assertThat(new PickupClients(given, given, worker("worker-1")).canceledIssuesConfig())
                .containsEntry("fetch.max.wait.ms", 200);
    }

    @Test
    void theTransactionalIdNamesTheWorkerInstance() {
        assertThat(PickupClients.transactionalId(worker("worker-2"))).isEqualTo("cwom-worker-worker-2");
    }
}
