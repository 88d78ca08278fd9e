package dev.cwom.worker.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.events.WorkOrder;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The worker's {@code cwom_*} meters after known work, on the real broker. */
class RunMetricsTests extends PickupHarnessTest {

    private static final Duration WAIT = Duration.ofSeconds(45);

    @Test
    void runsAreCountedByExecutorStatusAndFailureCategoryOnceCommitted() throws Exception {
        PickupLoop worker = harness.startWorker("worker-metrics");
        List<WorkOrder> done = List.of(TestWorkOrders.forExecutor("noop"), TestWorkOrders.forExecutor("noop"),
                TestWorkOrders.forExecutor("noop"));
        // an executor this worker does not have: a run failed with policy, counted under "other", not its name
        WorkOrder refused = TestWorkOrders.forExecutor("no-such-executor");
        for (WorkOrder order : done) {
            harness.send(order);
        }
        harness.send(refused);

        await().atMost(WAIT).until(() -> done.stream().allMatch(o -> harness.finished(o.getIssueId()).size() == 1)
                && harness.finished(refused.getIssueId()).size() == 1);
        MeterRegistry registry = worker.clients().registry();
        await().atMost(WAIT).until(() -> count(registry, RunMetrics.FINISHED) == 4);

        assertThat(count(registry, RunMetrics.PICKED_UP)).isEqualTo(4);
        assertThat(registry.get(RunMetrics.STARTED).tag("executor", "noop").counter().count()).isEqualTo(3);
        assertThat(registry.get(RunMetrics.STARTED).tag("executor", "other").counter().count()).isEqualTo(1);
        assertThat(registry.get(RunMetrics.FINISHED).tags("executor", "noop", "status", "done", "failure_category",
                "none").counter().count()).isEqualTo(3);
        assertThat(registry.get(RunMetrics.FINISHED).tags("executor", "other", "status", "failed",
                "failure_category", "policy").counter().count()).isEqualTo(1);
        assertThat(registry.get(RunMetrics.DURATION).timers().stream().mapToLong(t -> t.count()).sum()).isEqualTo(4);
        assertThat(registry.get(RunMetrics.QUEUE_WAIT).timer().count()).isEqualTo(4);
        // every start and every end went through a committed transaction, in groups of any size
        assertThat(registry.get(RunMetrics.COMMIT_BATCH).summary().totalAmount()).isEqualTo(8);
        assertThat(registry.getMeters()).noneMatch(m -> m.getId().getTags().stream()
                .anyMatch(t -> t.getValue().equals("no-such-executor")));
        // the loop's Kafka clients are metered too, the consumer with its group
        assertThat(registry.find("kafka.consumer.fetch.manager.records.lag.max")
                .tag("group", harness.properties("worker-metrics").pickup().groupId()).gauges()).isNotEmpty();
        assertThat(registry.find("kafka.producer.record.send.total").meters()).isNotEmpty();
    }

    private static double count(MeterRegistry registry, String name) {
        return registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
