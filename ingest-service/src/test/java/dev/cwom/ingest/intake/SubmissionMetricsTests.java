package dev.cwom.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.events.Topics;
import dev.cwom.ingest.Http;
import dev.cwom.ingest.IngestApiTest;
import dev.cwom.model.Ids;
import dev.cwom.testing.Scrape;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code cwom_submissions_*} and the rejections, as Prometheus scrapes them, after known submissions. */
class SubmissionMetricsTests extends IngestApiTest {

    private static final String SUBMISSIONS = "cwom_submissions_total";

    static Submissions submissions;

    @BeforeAll
    static void clients() {
        submissions = new Submissions();
    }

    @AfterAll
    static void close() {
        submissions.close();
    }

    @Test
    void restSubmissionsAreCountedByOutcomeAndRejectionsByTheirProblemCode() {
        String repo = createRepo();
        Scrape before = scrape();

        for (int i = 0; i < 3; i++) {
            createIssue(repo, "planned");
        }
        Http.Response invalid = http.post("/cwom/issues", """
                {"title": "Starts done", "type": "bug", "status": "done", "repo": {"kind": "Repo", "id": "%s"}}"""
                .formatted(repo));
        assertThat(invalid.status()).as(invalid.toString()).isEqualTo(400);

        Scrape after = scrape();
        assertThat(delta(before, after, SUBMISSIONS, Map.of("path", "rest", "outcome", "accepted"))).isEqualTo(3);
        assertThat(delta(before, after, SUBMISSIONS, Map.of("path", "rest", "outcome", "rejected"))).isEqualTo(1);
        assertThat(delta(before, after, "cwom_submissions_rejected_total",
                Map.of("path", "rest", "reason", invalid.json().get("code").asString()))).isEqualTo(1);
    }

    @Test
    void kafkaSubmissionsAreCountedAndRejectedRecordsByTopicAndReason() {
        String repo = createRepo();
        Scrape before = scrape();

        String issueId = Ids.newUlid();
        submissions.send(issueId, Submissions.event().setIssueJson(Submissions.issueJson(issueId, repo, "planned"))
                .build());
        submissions.send(issueId, Submissions.event().setIssueJson("{not json").build());

        await().atMost(Duration.ofSeconds(30)).until(() -> delta(before, scrape(), SUBMISSIONS,
                Map.of("path", "kafka")) >= 2);
        Scrape after = scrape();
        assertThat(delta(before, after, SUBMISSIONS, Map.of("path", "kafka", "outcome", "accepted"))).isEqualTo(1);
        assertThat(delta(before, after, SUBMISSIONS, Map.of("path", "kafka", "outcome", "rejected"))).isEqualTo(1);
        assertThat(delta(before, after, "cwom_records_rejected_total",
                Map.of("topic", Topics.ISSUES_REJECTED, "reason", "MALFORMED_JSON"))).isEqualTo(1);
    }

    private Scrape scrape() {
        Http.Response response = new Http(port, null).get("/actuator/prometheus");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return new Scrape(response.body());
    }

    private static double delta(Scrape before, Scrape after, String name, Map<String, String> labels) {
        return after.sum(name, labels) - before.sum(name, labels);
    }
}
