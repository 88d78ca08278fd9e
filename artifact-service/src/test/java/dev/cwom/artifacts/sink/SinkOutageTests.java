package dev.cwom.artifacts.sink;

import static dev.cwom.artifacts.sink.SinkFixtures.artifact;
import static dev.cwom.artifacts.sink.SinkFixtures.finished;
import static dev.cwom.artifacts.sink.SinkFixtures.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.artifacts.ArtifactServiceTest;
import dev.cwom.events.RunOutcome;
import dev.cwom.model.Ids;
import dev.cwom.testing.SharedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The application's database is taken away while the sink writes (new connections refused, open ones terminated),
 * then given back: consumption stops without committing offsets, resumes, and nothing is lost, doubled or rejected.
 */
class SinkOutageTests extends ArtifactServiceTest {

    private static final int RUNS = 150;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    SinkFixtures fixtures;
    String database;

    @BeforeEach
    void fixtures() throws SQLException {
        fixtures = new SinkFixtures(jdbc);
        try (Connection c = dataSource.getConnection()) {
            database = c.getCatalog();
        }
    }

    @AfterEach
    void close() throws SQLException {
        allowConnections(true);
        // The next test class shares the application's pool: hand it over with working connections.
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> jdbc.queryForObject("SELECT 1", Integer.class) == 1);
        fixtures.close();
    }

    @Test
    void aDatabaseOutageMidBatchStopsAndResumesConsumptionWithoutLoss() throws Exception {
        SinkFixtures.Issue issue = fixtures.issue();
        Instant t0 = SinkFixtures.now();
        List<String> runs = new ArrayList<>();
        List<SpecificRecord> firstHalf = new ArrayList<>();
        List<SpecificRecord> secondHalf = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            String run = Ids.newUlid();
            String artifact = Ids.newUlid();
            runs.add(run);
            List<SpecificRecord> target = i < RUNS / 2 ? firstHalf : secondHalf;
            target.add(started(issue, run, t0));
            target.add(artifact(issue, run, artifact, t0.plusSeconds(1), "https://example.org/" + artifact, null));
            target.add(finished(issue, run, t0, t0.plusSeconds(2), RunOutcome.done, List.of(artifact)));
        }
        fixtures.awaitSinkCaughtUp(Duration.ofSeconds(60));

        try (Connection admin = SharedPostgres.server().getPostgresDatabase().getConnection();
                Connection locker = DriverManager.getConnection(
                        SharedPostgres.server().getJdbcUrl("postgres", database))) {
            // Artifact inserts wait behind this lock, so the sink's batch is held open mid-way (its run upserts done,
            // its artifact inserts waiting) until the outage kills it.
            locker.setAutoCommit(false);
            try (Statement s = locker.createStatement()) {
                s.execute("LOCK TABLE cwom_artifacts IN SHARE ROW EXCLUSIVE MODE");
            }
            fixtures.send(firstHalf.toArray(SpecificRecord[]::new));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> sinkWaitsOnTheLock(admin));
            cut(admin);
            fixtures.send(secondHalf.toArray(SpecificRecord[]::new));

            AtomicReference<Map<TopicPartition, Long>> last = new AtomicReference<>(fixtures.committedOffsets());
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(20))
                    .until(() -> {
                        Map<TopicPartition, Long> now = fixtures.committedOffsets();
                        return now.equals(last.getAndSet(now));
                    });
            assertThat(last.get()).as("offsets while the database is down").isEqualTo(fixtures.committedOffsets());
        }
        allowConnections(true);

        fixtures.awaitSinkCaughtUp(Duration.ofSeconds(90));
        Long done = jdbc.queryForObject("SELECT count(*) FROM cwom_runs WHERE id = ANY(?) AND status = 'done'"
                + " AND jsonb_array_length(outputs->'artifacts') = 1", Long.class, (Object) runs.toArray(String[]::new));
        Long artifacts = jdbc.queryForObject("SELECT count(*) FROM cwom_artifacts WHERE run_id = ANY(?)", Long.class,
                (Object) runs.toArray(String[]::new));
        assertThat(done).isEqualTo(RUNS);
        assertThat(artifacts).isEqualTo(RUNS);
    }

    private boolean sinkWaitsOnTheLock(Connection admin) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname = ?"
                + " AND wait_event_type = 'Lock' AND query LIKE '%cwom_artifacts%'")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    private void cut(Connection admin) throws SQLException {
        try (Statement s = admin.createStatement()) {
            s.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
        }
        try (PreparedStatement ps = admin.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                + " WHERE datname = ? AND pid <> pg_backend_pid()")) {
            ps.setString(1, database);
            ps.execute();
        }
    }

    private void allowConnections(boolean allow) throws SQLException {
        try (Connection admin = SharedPostgres.server().getPostgresDatabase().getConnection();
                Statement s = admin.createStatement()) {
            s.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS " + allow);
        }
    }
}
