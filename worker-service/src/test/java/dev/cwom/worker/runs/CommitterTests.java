package dev.cwom.worker.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.events.RunOutcome;
import dev.cwom.events.WorkOrder;
import dev.cwom.model.FailureCategory;
import dev.cwom.model.Ids;
import dev.cwom.testing.SharedKafka;
import dev.cwom.worker.WorkerProperties;
import dev.cwom.worker.execution.RunExecution;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The committer against the shared broker: what one flush commits, and that an aborted one commits nothing. */
class CommitterTests extends PickupHarnessTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private WorkerProperties properties;
    private RunExecution execution;
    private RunEvents events;
    private KafkaProducer<String, Object> producer;
    private KafkaConsumer<byte[], byte[]> consumer;
    private Committer committer;

    @BeforeEach
    void committer() {
        properties = harness.properties("committer-" + Ids.newUlid());
        execution = harness.execution(properties);
        events = new RunEvents(properties.workerId());
        PickupClients clients = PickupClients.forBroker(SharedKafka.bootstrapServers(), PickupHarness.REGISTRY,
                properties);
        producer = clients.producer();
        producer.initTransactions();
        // Never joins the group: its metadata carries no generation, which the broker accepts like a plain group id.
        consumer = clients.consumer();
        committer = new Committer(producer, Committer.Offsets.of(consumer), properties, harness.topics, events, Clock.systemUTC(),
                new RunMetrics(new SimpleMeterRegistry(), List.of()));
    }

    @AfterEach
    void closeClients() {
        producer.close(Duration.ofSeconds(5));
        consumer.close();
    }

    @Test
    void oneFlushCommitsTheStartsTheEndsAndTheOffsetsOfTheEndedWorkOrders() throws Exception {
        Attempt ended0 = attempt(0, 7);
        Attempt ended1 = attempt(1, 3);
        Attempt starting = attempt(2, 5);
        assertThat(committer.pending()).isFalse();
        assertThat(committer.pendingSince()).isNull();

        committer.start(starting);
        committer.finish(ending(ended0));
        committer.finish(ending(ended1));
        assertThat(committer.pending()).isTrue();
        assertThat(committer.pendingSince()).isNotNull();
        assertThat(committer.pendingStarts()).isEqualTo(1);
        assertThat(committer.pendingOn(partition(0))).isTrue();
        assertThat(committer.pendingOn(partition(2))).isTrue();
        assertThat(committer.pendingOn(partition(3))).isFalse();

        Committer.Flushed flushed = committer.flush();

        assertThat(flushed.aborted()).isNull();
        assertThat(flushed.starts()).containsExactly(starting);
        assertThat(flushed.endings()).extracting(Committer.Ending::attempt).containsExactly(ended0, ended1);
        assertThat(committer.pending()).isFalse();
        assertThat(committer.pendingSince()).isNull();
        await().atMost(WAIT).until(() -> harness.started(starting.order().getIssueId()).size() == 1
                && harness.finished(ended0.order().getIssueId()).size() == 1
                && harness.finished(ended1.order().getIssueId()).size() == 1);
        assertThat(PickupHarness.finishedPayload(harness.finished(ended0.order().getIssueId()).getFirst())
                .getStatus()).isEqualTo(RunOutcome.failed);
        assertThat(harness.committedOffsets(Set.of(partition(0), partition(1), partition(2))))
                .containsExactlyInAnyOrderEntriesOf(java.util.Map.of(partition(0), 8L, partition(1), 4L));
        assertThat(committer.flush()).isSameAs(Committer.Flushed.NOTHING);
    }

    @Test
    void anAbortedFlushCommitsNoneOfItsStartsEndsOrOffsetsAndTheNextFlushCommits() throws Exception {
        Attempt tooLarge = attempt(0, 2);
        Attempt ended = attempt(1, 4);
        Attempt starting = attempt(2, 6);
        committer.start(starting);
        committer.finish(ending(ended));
        // Larger than the producer's max.request.size: the send fails, so the transaction cannot commit.
        committer.finish(new Committer.Ending(tooLarge, "failed", List.of(new ProducerRecord<>(
                harness.topics.runs(), tooLarge.runId(), events.failed(tooLarge, FailureCategory.RUNTIME,
                        "x".repeat(2_000_000), Clock.systemUTC().instant()))), true, null));

        Committer.Flushed flushed = committer.flush();

        assertThat(flushed.aborted()).isNotNull();
        assertThat(flushed.starts()).containsExactly(starting);
        assertThat(flushed.endings()).hasSize(2);
        assertThat(committer.pending()).isFalse();

        committer.finish(ending(ended));
        assertThat(committer.flush().aborted()).isNull();
        await().atMost(WAIT).until(() -> harness.finished(ended.order().getIssueId()).size() == 1);
        assertThat(harness.started(starting.order().getIssueId())).isEmpty();
        assertThat(harness.finished(tooLarge.order().getIssueId())).isEmpty();
        assertThat(harness.committedOffsets(Set.of(partition(0), partition(1), partition(2))))
                .containsExactlyInAnyOrderEntriesOf(java.util.Map.of(partition(1), 5L));
    }

    @Test
    void droppedStartsAndEndsAreNotCommitted() {
        Attempt ended = attempt(0, 1);
        Attempt starting = attempt(1, 1);
        committer.start(starting);
        committer.finish(ending(ended));

        assertThat(committer.dropStarts(partition(1)::equals)).containsExactly(starting);
        assertThat(committer.dropEndings(partition(5)::equals)).isEmpty();
        assertThat(committer.pendingOn(partition(1))).isFalse();
        assertThat(committer.dropEndings(p -> true)).extracting(Committer.Ending::attempt).containsExactly(ended);
        assertThat(committer.pending()).isFalse();
        assertThat(committer.pendingSince()).isNull();
    }

    private TopicPartition partition(int p) {
        return new TopicPartition(harness.topics.workOrders(), p);
    }

    private Attempt attempt(int partition, long offset) {
        WorkOrder order = TestWorkOrders.forExecutor("noop");
        return new Attempt(execution.prepare(Ids.newUlid(), WorkOrderIntake.inputs(order), order.getRequestedBy()),
                order, partition(partition), offset);
    }

    private Committer.Ending ending(Attempt attempt) {
        return new Committer.Ending(attempt, "failed (runtime)", List.of(new ProducerRecord<>(harness.topics.runs(),
                attempt.runId(), events.failed(attempt, FailureCategory.RUNTIME, "the test ends it",
                        Clock.systemUTC().instant()))), true, null);
    }
}
