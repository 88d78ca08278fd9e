package dev.cwom.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cwom.events.IssueSubmitted;
import dev.cwom.events.RecordRejected;
import dev.cwom.events.Topics;
import dev.cwom.ingest.IngestApiTest;
import dev.cwom.ingest.KafkaTopicReader;
import dev.cwom.model.Ids;
import dev.cwom.service.kafka.TransactionalBatchListener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The intake stores a polled batch in one transaction: a bad record in the middle is cut out and rejected with its
 * reason while the others are stored, and a batch whose transaction is aborted part-way (as when the process dies)
 * and then delivered again, whole, is stored once.
 */
class IntakeBatchTests extends IngestApiTest {

    @Autowired
    ConcurrentMessageListenerContainer<byte[], Submission> intakeContainer;

    @Autowired
    SubmissionIntake intake;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Test
    void aBadRecordInTheMiddleOfABatchIsRejectedWithItsReasonAndTheOthersAreStored() {
        String repo = createRepo();
        String key = "batch-" + Ids.newUlid();
        List<IssueSubmitted> good = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            good.add(Submissions.event().setIssueJson(Submissions.issueJson(null, repo, "planned")).build());
        }
        IssueSubmitted bad = Submissions.event().setIssueJson("""
                {"repo": {"kind": "Repo", "id": "%s"}, "type": "bug"}""".formatted(repo)).build();
        try (Submissions submissions = new Submissions();
                KafkaTopicReader rejected = new KafkaTopicReader(Topics.ISSUES_REJECTED)) {
            // stopped while they are sent, so that one poll hands all of them over (one key: one partition)
            intakeContainer.stop();
            try {
                good.subList(0, 3).forEach(e -> submissions.send(key, e));
                submissions.send(key, bad);
                good.subList(3, 6).forEach(e -> submissions.send(key, e));
            } finally {
                intakeContainer.start();
            }

            List<String> goodIds = good.stream().map(IssueSubmitted::getEventId).toList();
            await().atMost(Duration.ofSeconds(60)).until(() -> storedEvents(goodIds) == good.size());
            await().atMost(Duration.ofSeconds(30)).until(() -> !rejected.withKey(key).isEmpty());
            RecordRejected rejection = (RecordRejected) rejected.withKey(key).getFirst().value();
            assertThat(rejection.getReasonCode()).isEqualTo("VALIDATION_FAILED");
            assertThat(rejection.getMessage()).contains("$.title");
            assertThat(storedEvents(List.of(bad.getEventId()))).isZero();
            assertThat(jdbc.sql("SELECT count(*) FROM cwom_issues WHERE repo_id = :repo").param("repo", repo)
                    .query(Long.class).single()).isEqualTo(good.size());
            // rejected once, not once per pass over the batch
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> rejected.withKey(key).size() == 1);
        }
    }

    @Test
    void aBatchAbortedPartWayAndDeliveredAgainIsStoredOnceLosingNothing() {
        String repo = createRepo();
        List<ConsumerRecord<byte[], Submission>> batch = new ArrayList<>();
        List<String> eventIds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            IssueSubmitted event = Submissions.event()
                    .setIssueJson(Submissions.issueJson(null, repo, i % 2 == 0 ? "ready" : "planned")).build();
            eventIds.add(event.getEventId());
            batch.add(new ConsumerRecord<>(Topics.ISSUES_SUBMITTED, 0, 1_000 + i,
                    repo.getBytes(StandardCharsets.UTF_8), new Submission(event, new byte[0])));
        }
        // the database connection is lost while the fourth record is stored: the transaction aborts part-way
        AtomicBoolean crashOnce = new AtomicBoolean(true);
        TransactionalBatchListener<Submission> crashing = listener(record -> {
            intake.store(record.value().event(), "test");
            if (record.offset() == 1_003 && crashOnce.getAndSet(false)) {
                throw new TransientDataAccessResourceException("connection lost mid-batch");
            }
        });

        assertThatThrownBy(() -> crashing.onMessage(batch)).isInstanceOf(BatchListenerFailedException.class)
                .satisfies(e -> assertThat(((BatchListenerFailedException) e).getIndex()).isEqualTo(3));
        // the records before the failure are stored (their offsets may be committed), the failed one is not
        assertThat(storedEvents(eventIds.subList(0, 3))).isEqualTo(3);
        assertThat(storedEvents(eventIds.subList(3, 5))).isZero();

        // the process died before any offset was committed: the whole batch comes again, twice for good measure
        TransactionalBatchListener<Submission> restarted = listener(record ->
                intake.store(record.value().event(), "test"));
        restarted.onMessage(batch);
        restarted.onMessage(batch);

        assertThat(storedEvents(eventIds)).isEqualTo(5);
        assertThat(jdbc.sql("SELECT count(*) FROM cwom_issues WHERE repo_id = :repo").param("repo", repo)
                .query(Long.class).single()).isEqualTo(5);
        assertThat(jdbc.sql("SELECT count(*) FROM outbox o JOIN cwom_issues i ON i.id = o.aggregate_id"
                + " WHERE i.repo_id = :repo").param("repo", repo).query(Long.class).single()).isEqualTo(3);
    }

    private TransactionalBatchListener<Submission> listener(TransactionalBatchListener.RecordHandler<Submission> h) {
        return new TransactionalBatchListener<>(h, record -> new IntakeRejection("CORRUPT_PAYLOAD", "no value",
                Map.of()), new TransactionTemplate(transactionManager));
    }

    private long storedEvents(List<String> eventIds) {
        return jdbc.sql("SELECT count(*) FROM intake_submissions WHERE event_id IN (:ids)").param("ids", eventIds)
                .query(Long.class).single();
    }
}
