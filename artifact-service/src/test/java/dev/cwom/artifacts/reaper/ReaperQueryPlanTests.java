package dev.cwom.artifacts.reaper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.artifacts.ArtifactServiceTest;
import dev.cwom.artifacts.sink.SinkFixtures;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The heartbeat and its receipt time are not indexed (so that heartbeats are HOT updates, see db/sink V3): the reaper
 * must still find its candidates through an index of the running runs, not by reading every run ever stored.
 */
class ReaperQueryPlanTests extends ArtifactServiceTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theReaperFindsStaleRunsThroughAnIndexOfRunningRunsAmongManyFinishedOnes() {
        SinkFixtures.Issue issue;
        try (SinkFixtures fixtures = new SinkFixtures(jdbc)) {
            issue = fixtures.issue();
        }
        jdbc.update("INSERT INTO cwom_runs (id, issue_id, repo_id, status, mode, last_heartbeat_at, created_at,"
                + " updated_at) SELECT upper(substr(md5(random()::text || g), 1, 26)), ?, ?, 'done', 'agent',"
                + " now() - interval '1 day', now(), now() FROM generate_series(1, 20000) g",
                issue.issueId(), issue.repoId());
        jdbc.execute("ANALYZE cwom_runs");

        List<String> plan = jdbc.queryForList("EXPLAIN " + RunReaper.CANDIDATES, String.class,
                OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(5), 100);

        assertThat(String.join("\n", plan)).doesNotContain("Seq Scan")
                .containsAnyOf("ix_cwom_runs_running", "ix_cwom_runs_status");
    }
}
