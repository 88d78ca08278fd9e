package dev.cwom.worker.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.events.WorkOrder;
import dev.cwom.model.Ids;
import dev.cwom.testing.SharedKafka;
import dev.cwom.worker.WorkerProperties;
import dev.cwom.worker.disk.RunFolders;
import dev.cwom.worker.execution.RunExecution;
import dev.cwom.worker.executors.ShellExecutor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Runs on executor threads: shell runs bounded by their own limit, the others on virtual threads. */
class RunSchedulerTests extends PickupHarnessTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private RunScheduler scheduler;

    @AfterEach
    void shutdown() {
        if (scheduler != null) {
            scheduler.shutdown();
        }
    }

    @Test
    void shellRunsBeyondTheirLimitWaitForAThreadWhileOtherRunsAllExecuteAtOnce() {
        HoldingExecutor shell = HoldingExecutor.held(ShellExecutor.NAME);
        HoldingExecutor waiting = HoldingExecutor.held();
        WorkerProperties properties = harness.properties("scheduler");
        RunExecution execution = harness.execution(properties, shell, waiting);
        scheduler = new RunScheduler(properties, execution, new RunFolders(properties, Clock.systemUTC()),
                new CanceledIssues(PickupClients.forBroker(SharedKafka.bootstrapServers(), PickupHarness.REGISTRY,
                        properties), harness.topics.canceled(), Clock.systemUTC(), "scheduler",
                        Duration.ofMillis(50)));
        List<RunInFlight> runs = new ArrayList<>();
        int partition = 0;
        for (int i = 0; i < 3; i++) {
            runs.add(scheduler.submit(attempt(execution, ShellExecutor.NAME, partition++)));
        }
        for (int i = 0; i < 6; i++) {
            runs.add(scheduler.submit(attempt(execution, HoldingExecutor.NAME, partition++)));
        }

        assertThat(scheduler.size()).isEqualTo(9);
        assertThat(scheduler.busy(new TopicPartition(harness.topics.workOrders(), 0))).isTrue();
        await().atMost(WAIT).until(() -> waiting.started() == 6 && shell.started() == 2);
        // The default limit of shell runs is 2: the third waits, still in flight (it heartbeats like the others).
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> shell.started() == 2);
        assertThat(scheduler.removeEnded()).isEmpty();
        assertThat(scheduler.dueHeartbeats(Instant.now().plus(Duration.ofHours(1)))).hasSize(9);

        shell.release();
        waiting.release();
        await().atMost(WAIT).until(() -> runs.stream().allMatch(r -> r.result.isDone()));
        assertThat(shell.started()).isEqualTo(3);
        assertThat(scheduler.removeEnded()).containsExactlyElementsOf(runs);
        assertThat(scheduler.isEmpty()).isTrue();
    }

    private Attempt attempt(RunExecution execution, String executor, int partition) {
        WorkOrder order = TestWorkOrders.forExecutor(executor);
        return new Attempt(execution.prepare(Ids.newUlid(), WorkOrderIntake.inputs(order), order.getRequestedBy()),
                order, new TopicPartition(harness.topics.workOrders(), partition), partition);
    }
}
