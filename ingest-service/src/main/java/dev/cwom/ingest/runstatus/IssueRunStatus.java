package dev.cwom.ingest.runstatus;

import dev.cwom.events.RunEvent;
import dev.cwom.events.RunFinished;
import dev.cwom.events.RunHeartbeat;
import dev.cwom.events.RunStarted;
import dev.cwom.ingest.issues.IssueEvents;
import dev.cwom.ingest.intake.IntakeRejection;
import dev.cwom.ingest.store.CwomRows;
import dev.cwom.model.Status;
import java.sql.Timestamp;
import java.util.Map;
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
 * RunHeartbeat never undoes it. The Issue's status is then the state of its latest attempt (highest run ULID), so the
 * result depends on which events arrived, never on their order.
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

    public IssueRunStatus(JdbcClient jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
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
                                terminal_event_id, updated_at)
                            VALUES (:run, :issue, :state, :at, :eventId, :now)
                            ON CONFLICT (run_id) DO UPDATE SET state = EXCLUDED.state,
                                terminal_event_at = EXCLUDED.terminal_event_at,
                                terminal_event_id = EXCLUDED.terminal_event_id, updated_at = EXCLUDED.updated_at
                            WHERE r.state = 'running' OR (r.terminal_event_id IS NOT NULL
                                AND (EXCLUDED.terminal_event_at, EXCLUDED.terminal_event_id)
                                    < (r.terminal_event_at, r.terminal_event_id))""")
                    .param("run", event.getRunId()).param("issue", issueId).param("state", finished.getStatus().name())
                    .param("at", Timestamp.from(event.getOccurredAt())).param("eventId", event.getEventId())
                    .param("now", now).update();
        } else if (payload instanceof RunStarted || payload instanceof RunHeartbeat) {
            jdbc.sql("""
                            INSERT INTO ingest_issue_runs (run_id, issue_id, state, updated_at)
                            VALUES (:run, :issue, 'running', :now) ON CONFLICT (run_id) DO NOTHING""")
                    .param("run", event.getRunId()).param("issue", issueId).param("now", now).update();
        }
        Status latest = Status.of(jdbc.sql("SELECT state FROM ingest_issue_runs WHERE issue_id = :issue "
                        + "ORDER BY run_id DESC LIMIT 1")
                .param("issue", issueId).query(String.class).single());
        if (latest == current) {
            return;
        }
        if (current == Status.CANCELED) {
            log.info("Issue {} is canceled and stays so; its latest run {} is {} (event {})", issueId,
                    event.getRunId(), latest.value(), event.getEventId());
            return;
        }
        jdbc.sql("UPDATE cwom_issues SET status = :status, updated_at = :now WHERE id = :id")
                .param("status", latest.value()).param("now", now).param("id", issueId).update();
        if (latest == Status.CANCELED) {
            events.publishEvent(new IssueEvents.Canceled(issueId, now.toInstant(),
                    "run " + event.getRunId() + " finished canceled", null));
        }
        log.info("Issue {} {} -> {} (latest run {}, event {})", issueId, current.value(), latest.value(),
                event.getRunId(), event.getEventId());
    }
}
