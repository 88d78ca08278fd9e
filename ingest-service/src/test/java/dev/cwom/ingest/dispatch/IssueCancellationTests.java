package dev.cwom.ingest.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cwom.events.IssueCanceled;
import dev.cwom.events.Topics;
import dev.cwom.ingest.IngestApiTest;
import dev.cwom.ingest.KafkaTopicReader;
import dev.cwom.ingest.issues.IssueEvents;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Canceling an Issue reaches the workers: one {@code IssueCanceled} per Issue on {@code cwom.issues.canceled.v1}. */
class IssueCancellationTests extends IngestApiTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    static KafkaTopicReader canceled;

    @Autowired
    WorkOrderOutbox outbox;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    ApplicationEventPublisher events;

    @BeforeAll
    static void reader() {
        canceled = new KafkaTopicReader(Topics.ISSUES_CANCELED);
    }

    @AfterAll
    static void closeReader() {
        canceled.close();
    }

    @Test
    void cancelingAReadyIssuePublishesExactlyOneIssueCanceledAndCancelingAgainPublishesNothing() {
        String repo = createRepo();
        String issue = createIssue(repo, "ready");
        assertThat(http.patch("/cwom/issues/" + issue + "/status",
                "{\"status\": \"canceled\", \"reason\": \"duplicate of another Issue\"}",
                "traceparent", "00-7bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").status()).isEqualTo(200);
        assertThat(http.patch("/cwom/issues/" + issue + "/status", "{\"status\": \"canceled\"}").status())
                .isEqualTo(200);

        ConsumerRecord<byte[], Object> record = awaitCanceled(issue);
        IssueCanceled event = (IssueCanceled) record.value();
        String eventId = jdbc.sql("SELECT event_id FROM outbox WHERE aggregate_id = :id AND event_type = :type")
                .param("id", issue).param("type", WorkOrderOutbox.ISSUE_CANCELED).query(String.class).single();
        assertThat(event.getEventId()).isEqualTo(eventId);
        assertThat(new String(record.headers().lastHeader(OutboxRelay.EVENT_ID_HEADER).value(),
                StandardCharsets.UTF_8)).isEqualTo(eventId);
        assertThat(event.getIssueId()).isEqualTo(issue);
        assertThat(event.getRepoId()).isEqualTo(repo);
        assertThat(event.getReason()).isEqualTo("duplicate of another Issue");
        assertThat(new String(record.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8))
                .as("the PATCH's trace, continued by the relay").startsWith("00-7bf92f3577b34da6a3ce929d0e0e4736-");
        assertThat(new String(record.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8))
                .isEqualTo("dev.cwom.issue.canceled.v1");
        assertThat(new String(record.headers().lastHeader("ce_subject").value(), StandardCharsets.UTF_8))
                .isEqualTo(issue);
        Instant updatedAt = jdbc.sql("SELECT updated_at FROM cwom_issues WHERE id = :id").param("id", issue)
                .query(Timestamp.class).single().toInstant();
        assertThat(event.getCanceledAt()).isEqualTo(updatedAt.truncatedTo(ChronoUnit.MILLIS));

        // a later Issue's cancellation, published after every earlier outbox row: by then a second one would be out
        String marker = createIssue(repo, "ready");
        assertThat(http.patch("/cwom/issues/" + marker + "/status", "{\"status\": \"canceled\"}").status())
                .isEqualTo(200);
        awaitCanceled(marker);
        assertThat(canceled.withKey(issue)).hasSize(1);
        assertThat(((IssueCanceled) canceled.withKey(marker).getFirst().value()).getReason()).isNull();
    }

    @Test
    void cancelingAPlannedIssueThatNeverRanIsPublishedToo() {
        String issue = createIssue(createRepo(), "planned");
        assertThat(http.patch("/cwom/issues/" + issue + "/status", "{\"status\": \"canceled\"}").status())
                .isEqualTo(200);

        assertThat(((IssueCanceled) awaitCanceled(issue).value()).getIssueId()).isEqualTo(issue);
    }

    @Test
    void theOutboxHoldsOneCancellationPerIssueWhoeverRecordsIt() {
        String issue = createIssue(createRepo(), "ready");
        TransactionTemplate transaction = new TransactionTemplate(transactionManager);

        List<Boolean> written = transaction.execute(status -> List.of(
                outbox.issueCanceled(issue, Instant.now(), "first", null),
                outbox.issueCanceled(issue, Instant.now(), "second", null)));

        assertThat(written).containsExactly(true, false);
        assertThat(jdbc.sql("SELECT payload ->> 'reason' FROM outbox WHERE aggregate_id = :id AND event_type = :type")
                .param("id", issue).param("type", WorkOrderOutbox.ISSUE_CANCELED).query(String.class).list())
                .containsExactly("first");
    }

    @Test
    void aCancellationPublishedInATransactionThatRollsBackLeavesNoOutboxRowAndOneWithoutATransactionIsRefused() {
        String issue = createIssue(createRepo(), "ready");
        TransactionTemplate transaction = new TransactionTemplate(transactionManager);

        transaction.executeWithoutResult(status -> {
            events.publishEvent(new IssueEvents.Canceled(issue, Instant.now(), "rolled back", null));
            status.setRollbackOnly();
        });

        assertThat(jdbc.sql("SELECT count(*) FROM outbox WHERE aggregate_id = :id AND event_type = :type")
                .param("id", issue).param("type", WorkOrderOutbox.ISSUE_CANCELED).query(Integer.class).single())
                .isZero();
        assertThatThrownBy(() -> events.publishEvent(new IssueEvents.Canceled(issue, Instant.now(), "none", null)))
                .isInstanceOf(IllegalTransactionStateException.class);
    }

    @Test
    void leavingReadyWithdrawsEveryAttemptDispatchedSoFarOnTheCancellationTopicEachTime() {
        String repo = createRepo();
        String issue = createIssue(repo, "ready");
        assertThat(status(issue, "{\"status\": \"planned\"}")).isEqualTo(200);
        assertThat(status(issue, "{\"status\": \"ready\"}")).isEqualTo(200);
        assertThat(status(issue, "{\"status\": \"blocked\", \"reason\": \"waiting for the API\"}"))
                .isEqualTo(200);
        assertThat(status(issue, "{\"status\": \"ready\"}")).isEqualTo(200);

        assertThat(jdbc.sql("SELECT CAST(payload ->> 'attempt' AS integer) FROM outbox WHERE aggregate_id = :id"
                        + " AND event_type = 'IssueReady' ORDER BY id").param("id", issue).query(Integer.class).list())
                .as("each dispatch takes the next attempt").containsExactly(1, 2, 3);
        await().atMost(WAIT).until(() -> canceled.withKey(issue).size() == 2);
        List<IssueCanceled> withdrawals = canceled.withKey(issue).stream().map(r -> (IssueCanceled) r.value())
                .toList();
        assertThat(withdrawals).extracting(IssueCanceled::getWithdrawnThroughAttempt).containsExactly(1, 2);
        assertThat(withdrawals).extracting(IssueCanceled::getReason)
                .containsExactly("Issue left ready for planned", "waiting for the API");
        assertThat(withdrawals).allSatisfy(w -> assertThat(w.getRepoId()).isEqualTo(repo));
        assertThat(http.get("/cwom/issues/" + issue).json().get("issue").get("status").asString())
                .isEqualTo("ready");

        // canceled after all: a final cancellation, which covers every attempt
        assertThat(status(issue, "{\"status\": \"canceled\"}")).isEqualTo(200);
        await().atMost(WAIT).until(() -> canceled.withKey(issue).size() == 3);
        assertThat(((IssueCanceled) canceled.withKey(issue).getLast().value()).getWithdrawnThroughAttempt()).isNull();
    }

    private int status(String issue, String body) {
        return http.patch("/cwom/issues/" + issue + "/status", body).status();
    }

    private static ConsumerRecord<byte[], Object> awaitCanceled(String issue) {
        await().atMost(WAIT).until(() -> !canceled.withKey(issue).isEmpty());
        return canceled.withKey(issue).getFirst();
    }
}
