package dev.cwom.ingest.runstatus;

import dev.cwom.events.RunEvent;
import dev.cwom.events.RunFinished;
import dev.cwom.events.RunHeartbeat;
import dev.cwom.events.RunStarted;
import dev.cwom.ingest.attempts.IssueAttempts;
import dev.cwom.ingest.issues.IssueEvents;
import dev.cwom.ingest.intake.IntakeRejection;
import dev.cwom.ingest.store.CwomRows;
import dev.cwom.model.Status;
import java.sql.Timestamp;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Applies one run event to ingest's view of an Issue's runs and derives the Issue's status from it.
 *
 * <p>Out-of-order safe, with the sink's rule for a run's state (artifact-service {@code RunRows}): a run is
 * {@code running} from its first event until a RunFinished arrives, and of several RunFinished events of one run the
 * earliest by ({@code occurred_at}, event id) decides its final state, whichever arrives first; a RunStarted or
 * RunHeartbeat never undoes it. The Issue's status is then the state of its latest attempt: the run with the highest
 * attempt number, as ingest numbered them ({@link IssueAttempts}; a run keeps the number of the first of its events
 * that carries one), runs without a number (older producers) below every numbered one and ordered by run id among
 * themselves. Run ids never decide between numbered attempts: REST clients choose them, and a worker whose clock runs
 * behind makes lower ones. The result depends on which events arrived, never on their order.
 *
 * <p>A withdrawn attempt (the Issue left {@code ready} after it was dispatched) does not move the Issue: the Issue
 * keeps the status it was last moved to while that run is the latest.
 *
 * <p>Which moves run events make: any status to the latest attempt's state, except that a {@code canceled} Issue is
 * never moved (canceled is final for users, whether a user or a run canceled it); such events still record their run.
 * A run that ends {@code canceled} and so cancels its Issue writes the Issue's {@code IssueCanceled} outbox row in
 * the same transaction, as a cancel over REST does, so that workers stop whatever else of it they hold.
 */
@Service
public class IssueRunStatus {

    private static final Logger log = LoggerFactory.getLogger(IssueRunStatus.class);

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final IssueAttempts attempts;

    /** The run that decides the Issue's status. */
    private record Latest(String runId, Status state, @Nullable Integer attempt) {
    }

    public IssueRunStatus(JdbcClient jdbc, ApplicationEventPublisher events, IssueAttempts attempts) {
        this.jdbc = jdbc;
        this.events = events;
        this.attempts = attempts;
    }

    /**
     * Applies {@code event}.
     *
     * @throws IntakeRejection UNKNOWN_REFERENCE when ingest does not have the event's Issue
     */
    @Transactional
    public void apply(RunEvent event) {
        String issueId = event.getIssueId();
        Status current = jdbc.sql("SELECT status FROM cwom_issues WHERE id = :id FOR UPDATE")
                .param("id", issueId).query(String.class).optional().map(Status::of)
                .orElseThrow(() -> new IntakeRejection("UNKNOWN_REFERENCE", "Run event " + event.getEventId()
                        + " of run " + event.getRunId() + " names Issue " + issueId + ", which ingest does not have;"
                        + " publish run events only for Issues ingest handed out", Map.of("field", "issue_id")));
        Timestamp now = Timestamp.from(CwomRows.now());
        Object payload = event.getPayload();
        if (payload instanceof RunFinished finished) {
            // the earliest finish wins, as in the sink; a row finished before V7 has no terminal event and stays
            jdbc.sql("""
                            INSERT INTO ingest_issue_runs AS r (run_id, issue_id, state, terminal_event_at,
                                terminal_event_id, updated_at, attempt)
                            VALUES (:run, :issue, :state, :at, :eventId, :now, :attempt)
                            ON CONFLICT (run_id) DO UPDATE SET state = EXCLUDED.state,
                                terminal_event_at = EXCLUDED.terminal_event_at,
                                terminal_event_id = EXCLUDED.terminal_event_id, updated_at = EXCLUDED.updated_at
                            WHERE r.state = 'running' OR (r.terminal_event_id IS NOT NULL
                                AND (EXCLUDED.terminal_event_at, EXCLUDED.terminal_event_id)
                                    < (r.terminal_event_at, r.terminal_event_id))""")
                    .param("run", event.getRunId()).param("issue", issueId).param("state", finished.getStatus().name())
                    .param("at", Timestamp.from(event.getOccurredAt())).param("eventId", event.getEventId())
                    .param("now", now).param("attempt", event.getAttempt()).update();
        } else if (payload instanceof RunStarted || payload instanceof RunHeartbeat) {
            jdbc.sql("""
                            INSERT INTO ingest_issue_runs (run_id, issue_id, state, updated_at, attempt)
                            VALUES (:run, :issue, 'running', :now, :attempt) ON CONFLICT (run_id) DO NOTHING""")
                    .param("run", event.getRunId()).param("issue", issueId).param("now", now)
                    .param("attempt", event.getAttempt()).update();
        }
        if (event.getAttempt() != null) {
            // the row may come from an event without the number (a REST PATCH, or one that arrived first)
            jdbc.sql("UPDATE ingest_issue_runs SET attempt = :attempt WHERE run_id = :run AND attempt IS NULL")
                    .param("attempt", event.getAttempt()).param("run", event.getRunId()).update();
        }
        Latest run = jdbc.sql("SELECT run_id, state, attempt FROM ingest_issue_runs WHERE issue_id = :issue "
                        + IssueAttempts.LATEST_FIRST + " LIMIT 1")
                .param("issue", issueId).query((rs, n) -> new Latest(rs.getString("run_id"),
                        Status.of(rs.getString("state")), rs.getObject("attempt", Integer.class)))
                .single();
        Status latest = run.state();
        if (latest == current) {
            return;
        }
        if (attempts.withdrawn(issueId, run.attempt())) {
            log.info("Issue {} stays {}: its latest run {} ({}, attempt {}) was withdrawn when the Issue left ready"
                    + " (event {})", issueId, current.value(), run.runId(), latest.value(), run.attempt(),
                    event.getEventId());
            return;
        }
        if (current == Status.CANCELED) {
            log.info("Issue {} is canceled and stays so; its latest run {} is {} (event {})", issueId,
                    run.runId(), latest.value(), event.getEventId());
            return;
        }
        jdbc.sql("UPDATE cwom_issues SET status = :status, updated_at = :now WHERE id = :id")
                .param("status", latest.value()).param("now", now).param("id", issueId).update();
        if (latest == Status.CANCELED) {
            events.publishEvent(new IssueEvents.Canceled(issueId, now.toInstant(),
                    "run " + run.runId() + " finished canceled", null));
        }
        log.info("Issue {} {} -> {} (latest run {}, attempt {}; event {} of run {})", issueId, current.value(),
                latest.value(), run.runId(), run.attempt(), event.getEventId(), event.getRunId());
    }
}
