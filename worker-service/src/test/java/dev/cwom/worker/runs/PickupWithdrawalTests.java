package dev.cwom.worker.runs;

import static dev.cwom.worker.runs.PickupHarness.finishedPayload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.events.RunEvent;
import dev.cwom.events.RunEventMapping;
import dev.cwom.events.RunFinished;
import dev.cwom.events.RunOutcome;
import dev.cwom.events.RunStarted;
import dev.cwom.events.WorkOrder;
import dev.cwom.model.Ids;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * An Issue that left ready withdraws the attempts dispatched so far (an {@code IssueCanceled} with
 * {@code withdrawn_through_attempt}): a queued work order of a withdrawn attempt is not run, a running one is stopped
 * and ends canceled saying so, and a later attempt runs as usual, its number on its run events and in its meta.
 */
class PickupWithdrawalTests extends PickupHarnessTest {

    private static final Duration WAIT = Duration.ofSeconds(45);

    @Test
    void aQueuedWorkOrderOfAWithdrawnAttemptStartsNoRunWhileTheNextAttemptRunsWithItsNumber() throws Exception {
        PickupLoop worker = harness.startWorker("worker-1");
        WorkOrder first = attempt(TestWorkOrders.forExecutor("noop"), 1);
        String issue = first.getIssueId();
        harness.withdraw(issue, first.getRepoId(), 1, Instant.now());
        await().atMost(WAIT).until(() -> worker.canceledIssues().stops(issue, 1) != null);
        assertThat(worker.canceledIssues().stops(issue, 2)).as("a later attempt is not withdrawn").isNull();
        assertThat(worker.canceledIssues().canceledAt(issue)).as("a withdrawal is no cancellation").isNull();

        harness.send(first);
        RecordMetadata sent = harness.send(attempt(first, 2));

        await().atMost(WAIT).until(() -> harness.finished(issue).size() == 1);
        RunEvent started = harness.started(issue).getFirst();
        assertThat(harness.started(issue)).as("no run for the withdrawn attempt").hasSize(1);
        assertThat(started.getAttempt()).isEqualTo(2);
        assertThat(RunEventMapping.meta(((RunStarted) started.getPayload()).getMetaJson()))
                .containsEntry(RunEventMapping.META_ATTEMPT, 2);
        RunEvent finished = harness.finished(issue).getFirst();
        assertThat(finished.getAttempt()).isEqualTo(2);
        assertThat(finishedPayload(finished).getStatus()).isEqualTo(RunOutcome.done);
        TopicPartition partition = new TopicPartition(sent.topic(), sent.partition());
        await().atMost(WAIT).until(() -> harness.committedOffset(partition) == sent.offset() + 1);
    }

    @Test
    void aRunningAttemptThatIsWithdrawnIsStoppedAndEndsCanceledSayingItWasWithdrawn() throws Exception {
        HoldingExecutor executor = HoldingExecutor.held();
        harness.startWorker("worker-1", executor);
        WorkOrder order = attempt(TestWorkOrders.forExecutor(HoldingExecutor.NAME), 3);
        RecordMetadata sent = harness.send(order);
        await().atMost(WAIT).until(() -> executor.started() == 1);

        Instant leftReady = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        harness.withdraw(order.getIssueId(), order.getRepoId(), 3, leftReady);

        await().atMost(Duration.ofSeconds(20)).until(() -> harness.finished(order.getIssueId()).size() == 1);
        RunEvent finishedEvent = harness.finished(order.getIssueId()).getFirst();
        RunFinished finished = finishedPayload(finishedEvent);
        assertThat(finished.getStatus()).isEqualTo(RunOutcome.canceled);
        assertThat(finished.getFailure()).isNull();
        assertThat(finished.getResultSummary()).startsWith("canceled: attempt 3 of Issue " + order.getIssueId()
                + " was withdrawn at " + leftReady + " (Issue left ready for planned)");
        assertThat(finishedEvent.getAttempt()).isEqualTo(3);
        await().atMost(WAIT).until(() -> harness.artifactsArrived(order.getIssueId()));
        TopicPartition partition = new TopicPartition(sent.topic(), sent.partition());
        assertThat(harness.committedOffset(partition)).isEqualTo(sent.offset() + 1);
    }

    @Test
    void aReadyPlannedToggleStormGivesAtMostOneRunPerAttemptAndOnlyTheAttemptStillReadyRunsToItsEnd()
            throws Exception {
        HoldingExecutor executor = HoldingExecutor.held();
        PickupLoop worker = harness.startWorker("worker-1", executor);
        WorkOrder base = TestWorkOrders.forExecutor(HoldingExecutor.NAME);
        String issue = base.getIssueId();
        int toggles = 8;
        // what ingest's relay publishes for ready -> planned, eight times, then ready once more: each dispatch takes
        // the next attempt, each planned withdraws the attempts so far
        for (int n = 1; n <= toggles; n++) {
            harness.send(attempt(base, n));
            harness.withdraw(issue, base.getRepoId(), n, Instant.now());
        }
        RecordMetadata last = harness.send(attempt(base, toggles + 1));

        await().atMost(WAIT).until(() -> worker.canceledIssues().stops(issue, toggles) != null);
        await().atMost(WAIT).until(() -> harness.started(issue).stream()
                .anyMatch(e -> e.getAttempt() == toggles + 1));
        // every withdrawn run that started is stopped while the executor still holds it
        await().atMost(WAIT).until(() -> harness.finished(issue).size() == harness.started(issue).size() - 1);
        executor.release();
        await().atMost(WAIT).until(() -> harness.finished(issue).size() == harness.started(issue).size());

        Map<Integer, Long> runsPerAttempt = harness.started(issue).stream()
                .collect(Collectors.groupingBy(RunEvent::getAttempt, Collectors.counting()));
        assertThat(runsPerAttempt.values()).as("at most one run per attempt").allMatch(n -> n == 1);
        assertThat(runsPerAttempt).containsKey(toggles + 1);
        Map<Integer, RunFinished> ends = harness.finished(issue).stream()
                .collect(Collectors.toMap(RunEvent::getAttempt, PickupHarness::finishedPayload));
        assertThat(ends.get(toggles + 1).getStatus()).isEqualTo(RunOutcome.done);
        assertThat(ends.entrySet()).filteredOn(e -> e.getKey() <= toggles)
                .allSatisfy(e -> {
                    assertThat(e.getValue().getStatus()).isEqualTo(RunOutcome.canceled);
                    assertThat(e.getValue().getResultSummary()).contains("attempt " + e.getKey() + " of Issue "
                            + issue + " was withdrawn");
                });
        TopicPartition partition = new TopicPartition(last.topic(), last.partition());
        await().atMost(WAIT).until(() -> harness.committedOffset(partition) == last.offset() + 1);
    }

    /** {@code order} dispatched again as attempt {@code number}: a new event id, as every outbox row has. */
    private static WorkOrder attempt(WorkOrder order, int number) {
        return WorkOrder.newBuilder(order).setEventId(Ids.newUlid()).setAttempt(number).build();
    }
}
