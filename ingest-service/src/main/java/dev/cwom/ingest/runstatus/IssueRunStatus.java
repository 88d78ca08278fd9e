package dev.cwom.ingest.runstatus;

import dev.cwom.events.RunEvent;
import dev.cwom.events.RunFinished;
import dev.cwom.events.RunHeartbeat;
import dev.cwom.events.RunStarted;
import dev.cwom.ingest.store.CwomRows;
import java.sql.Timestamp;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Applies one run event to ingest's view of an Issue's runs and derives the Issue's status from it.
 *
 * <p>Out-of-order safe by construction: each run's state only moves forward (a RunStarted or RunHeartbeat never
 * undoes a RunFinished), and the Issue's status is recomputed from the stored states as the state of its latest
 * attempt (highest run ULID), so the result depends on which events arrived, never on their order.
 */
@Service
public class IssueRunStatus {

    private static final Logger log = LoggerFactory.getLogger(IssueRunStatus.class);

    private final JdbcClient jdbc;

    public IssueRunStatus(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return false when the event's Issue is unknown here (nothing to move) */
    @Transactional
    public boolean apply(RunEvent event) {
        String issueId = event.getIssueId();
        Optional<String> current = jdbc.sql("SELECT status FROM cwom_issues WHERE id = :id FOR UPDATE")
                .param("id", issueId).query(String.class).optional();
        if (current.isEmpty()) {
            log.warn("Run event {} of run {} names Issue {}, which ingest does not have; skipped", event.getEventId(),
                    event.getRunId(), issueId);
            return false;
        }
        Timestamp now = Timestamp.from(CwomRows.now());
        Object payload = event.getPayload();
        if (payload instanceof RunFinished finished) {
            jdbc.sql("""
                            INSERT INTO ingest_issue_runs (run_id, issue_id, state, updated_at)
                            VALUES (:run, :issue, :state, :now)
                            ON CONFLICT (run_id) DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at
                            WHERE ingest_issue_runs.state = 'running'""")
                    .param("run", event.getRunId()).param("issue", issueId).param("state", finished.getStatus().name())
                    .param("now", now).update();
        } else if (payload instanceof RunStarted || payload instanceof RunHeartbeat) {
            jdbc.sql("""
                            INSERT INTO ingest_issue_runs (run_id, issue_id, state, updated_at)
                            VALUES (:run, :issue, 'running', :now) ON CONFLICT (run_id) DO NOTHING""")
                    .param("run", event.getRunId()).param("issue", issueId).param("now", now).update();
        }
        String latest = jdbc.sql("SELECT state FROM ingest_issue_runs WHERE issue_id = :issue "
                        + "ORDER BY run_id DESC LIMIT 1")
                .param("issue", issueId).query(String.class).single();
        if (!latest.equals(current.get())) {
            jdbc.sql("UPDATE cwom_issues SET status = :status, updated_at = :now WHERE id = :id")
                    .param("status", latest).param("now", now).param("id", issueId).update();
            log.info("Issue {} {} -> {} (latest run {}, event {})", issueId, current.get(), latest,
                    event.getRunId(), event.getEventId());
        }
        return true;
    }
}
