package dev.cwom.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.events.IssueSubmitted;
import dev.cwom.events.Topics;
import dev.cwom.ingest.IngestApiTest;
import dev.cwom.ingest.KafkaTopicReader;
import dev.cwom.testing.SharedPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The application's database is taken away while submissions arrive (new connections refused, open ones terminated),
 * then given back: the intake retries without rejecting, and every submission is stored exactly once.
 */
class IntakeOutageTests extends IngestApiTest {

    private static final int SUBMISSIONS = 20;

    private String database;

    @AfterEach
    void giveTheDatabaseBack() throws SQLException {
        if (database != null) {
            allowConnections(true);
        }
    }

    @Test
    void aDatabaseOutageDuringIntakeLosesNothingAndRejectsNothing() throws SQLException {
        String repo = createRepo();
        database = jdbc.sql("SELECT current_database()").query(String.class).single();
        List<String> events = new ArrayList<>();
        try (Submissions submissions = new Submissions(); KafkaTopicReader rejected =
                new KafkaTopicReader(Topics.ISSUES_REJECTED)) {
            allowConnections(false);
            for (int i = 0; i < SUBMISSIONS; i++) {
                IssueSubmitted event = Submissions.event()
                        .setIssueJson(Submissions.issueJson(null, repo, i % 2 == 0 ? "ready" : "planned")).build();
                events.add(event.getEventId());
                submissions.send("outage-" + event.getEventId(), event);
            }
            // give the intake time to meet the outage: every attempt in this window fails on the database
            await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> true);
            allowConnections(true);

            await().atMost(Duration.ofSeconds(90)).until(() -> jdbc.sql(
                    "SELECT count(*) FROM intake_submissions WHERE event_id IN (:ids)").param("ids", events)
                    .query(Long.class).single() == SUBMISSIONS);
            assertThat(jdbc.sql("SELECT count(*) FROM cwom_issues WHERE repo_id = :repo").param("repo", repo)
                    .query(Long.class).single()).isEqualTo(SUBMISSIONS);
            assertThat(jdbc.sql("SELECT count(*) FROM outbox o JOIN cwom_issues i ON i.id = o.aggregate_id "
                    + "WHERE i.repo_id = :repo").param("repo", repo).query(Long.class).single())
                    .isEqualTo(SUBMISSIONS / 2);
            assertThat(rejected.matching(r -> r.key() != null
                    && new String(r.key(), StandardCharsets.UTF_8).startsWith("outage-"))).isEmpty();
        }
    }

    private void allowConnections(boolean allow) throws SQLException {
        try (Connection c = SharedPostgres.server().getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS " + allow);
            if (!allow) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database
                        + "' AND pid <> pg_backend_pid()");
            }
        }
    }
}
