package dev.cwom.ingest.dispatch;

import dev.cwom.events.PinnedInput;
import dev.cwom.ingest.attempts.IssueAttempts;
import dev.cwom.ingest.issues.IssueEvents;
import dev.cwom.json.CwomJson;
import dev.cwom.model.Ids;
import dev.cwom.model.Issue;
import dev.cwom.service.tracing.TraceHeaders;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one seam through which an Issue enters the work pipeline, and leaves it. Whoever makes an Issue {@code ready} (a
 * create, a status change, the task bridge) publishes {@link IssueEvents.BecameReady} inside its own transaction,
 * whoever makes it {@code canceled} (a status change, a canceled run) {@link IssueEvents.Canceled}, and whoever moves
 * it from {@code ready} to another status that is not final {@link IssueEvents.Withdrawn}; this listens synchronously,
 * in that transaction, so the outbox row exists exactly when the status change is committed, and issues need not
 * know about dispatch. {@link OutboxRelay} publishes the rows, key = issue id, as work orders to
 * {@code cwom.issues.ready.v1}, cancellations and withdrawals to {@code cwom.issues.canceled.v1}, and marks them
 * published only after the broker acknowledged.
 *
 * <p>Each work order takes the Issue's next attempt number ({@link IssueAttempts}); a withdrawal names the highest
 * number taken, so it covers every work order dispatched before it, however many times the Issue was made ready.
 */
@Component
public class WorkOrderOutbox {

    /** The outbox's event type for a ready Issue. */
    public static final String ISSUE_READY = "IssueReady";
    /** The outbox's event type for a canceled Issue. */
    public static final String ISSUE_CANCELED = "IssueCanceled";
    /** The outbox's event type for an Issue that left ready: its attempts so far are withdrawn. */
    public static final String ISSUE_WITHDRAWN = "IssueWithdrawn";

    private static final Logger log = LoggerFactory.getLogger(WorkOrderOutbox.class);

    private final JdbcClient jdbc;
    private final IssueAttempts attempts;
    private final DispatchedInputs dispatched;
    private final OutboxWakeUp wakeUp;
    private final TraceHeaders traces;

    public WorkOrderOutbox(JdbcClient jdbc, IssueAttempts attempts, DispatchedInputs dispatched,
            OutboxWakeUp wakeUp, TraceHeaders traces) {
        this.jdbc = jdbc;
        this.attempts = attempts;
        this.dispatched = dispatched;
        this.wakeUp = wakeUp;
        this.traces = traces;
    }

    // @EventListener, not @TransactionalEventListener: the row must be written in the publisher's transaction, not
    // after its commit, or a crash in between would lose the work order. MANDATORY refuses a publisher without one.
    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    public void on(IssueEvents.BecameReady ready) {
        issueBecameReady(ready.issueId(), ready.traceId(), ready.requestedBy(), ready.policyRefId());
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    public void on(IssueEvents.Canceled canceled) {
        issueCanceled(canceled.issueId(), canceled.canceledAt(), canceled.reason(), canceled.traceId());
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    public void on(IssueEvents.Withdrawn withdrawn) {
        issueWithdrawn(withdrawn.issueId(), withdrawn.leftAt(), withdrawn.reason(), withdrawn.traceId());
    }

    /**
     * Records that Issue {@code issueId} became ready; must run in the transaction that made it so.
     *
     * @param requestedBy the principal who made it ready; travels in the work order
     * @param policyRefId the DoctrineRef of the operator policy version it was admitted under; pinned in the work order
     * @return the event id of the work order to come (its de-duplication key downstream); the work order carries the
     *     Issue's next attempt number
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public String issueBecameReady(String issueId, @Nullable String traceId, String requestedBy,
            String policyRefId) {
        Dispatch dispatch = dispatch(issueId, traceId, requestedBy, policyRefId, null);
        log.info("Issue {} became ready, asked by {}; outbox event {}, attempt {} (trace {})", issueId, requestedBy,
                dispatch.eventId(), dispatch.attempt(), traceId);
        return dispatch.eventId();
    }

    /** A work order in the outbox: its event id and the attempt number it took. */
    public record Dispatch(String eventId, int attempt) {
    }

    /**
     * Records a replay of Run {@code replayOf} as a new attempt of its Issue {@code issueId}, carrying exactly
     * {@code inputs} (recorded now under the new work order's event id, so the relay publishes them and nothing
     * else); must run in the caller's transaction. The Issue's status is not touched: the replay's run events move it
     * as its latest attempt, like any other.
     *
     * @param requestedBy the principal who asked for the replay; travels in the work order
     * @param policyRefId the DoctrineRef of the operator policy version the replay runs under (one of the inputs)
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Dispatch replay(String issueId, String replayOf, @Nullable String traceId, String requestedBy,
            String policyRefId, List<PinnedInput> inputs) {
        Dispatch dispatch = dispatch(issueId, traceId, requestedBy, policyRefId, replayOf);
        dispatched.record(dispatch.eventId(), inputs);
        log.info("Run {} of Issue {} replayed, asked by {}; outbox event {}, attempt {} (trace {})", replayOf,
                issueId, requestedBy, dispatch.eventId(), dispatch.attempt(), traceId);
        return dispatch;
    }

    private Dispatch dispatch(String issueId, @Nullable String traceId, String requestedBy, String policyRefId,
            @Nullable String replayOf) {
        String eventId = Ids.newUlid();
        int attempt = attempts.next(issueId);
        jdbc.sql("""
                        INSERT INTO outbox (event_id, aggregate_type, aggregate_id, event_type, trace_id, trace_context,
                                            payload)
                        VALUES (:eventId, :aggregateType, :issueId, :eventType, :traceId, CAST(:traceContext AS jsonb),
                                jsonb_strip_nulls(jsonb_build_object('issue_id', CAST(:issueId AS text),
                                                                     'trace_id', CAST(:traceId AS text),
                                                                     'requested_by', CAST(:requestedBy AS text),
                                                                     'policy_ref_id', CAST(:policyRefId AS text),
                                                                     'attempt', CAST(:attempt AS integer),
                                                                     'replay_of', CAST(:replayOf AS text))))
                        """)
                .param("eventId", eventId).param("aggregateType", Issue.KIND).param("issueId", issueId)
                .param("eventType", ISSUE_READY).param("traceId", traceId).param("traceContext", traceContext())
                .param("requestedBy", requestedBy).param("policyRefId", policyRefId).param("attempt", attempt)
                .param("replayOf", replayOf)
                .update();
        wakeUp.afterCommit();
        return new Dispatch(eventId, attempt);
    }

    /**
     * Records that Issue {@code issueId} became canceled at {@code canceledAt}; must run in the transaction that made
     * it so. Canceled is final, so there is one such row per Issue (a unique index keeps it so): a second call
     * records nothing.
     *
     * @param reason why, when known; travels in the event
     * @return whether a row was written
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean issueCanceled(String issueId, Instant canceledAt, @Nullable String reason,
            @Nullable String traceId) {
        String eventId = Ids.newUlid();
        int written = jdbc.sql("""
                        INSERT INTO outbox (event_id, aggregate_type, aggregate_id, event_type, trace_id, trace_context,
                                            payload)
                        SELECT :eventId, :aggregateType, id, :eventType, :traceId, CAST(:traceContext AS jsonb),
                               jsonb_strip_nulls(jsonb_build_object('issue_id', id, 'repo_id', repo_id,
                                                                    'canceled_at', CAST(:canceledAt AS text),
                                                                    'reason', CAST(:reason AS text)))
                        FROM cwom_issues WHERE id = :issueId
                        ON CONFLICT (aggregate_id) WHERE event_type = 'IssueCanceled' DO NOTHING
                        """)
                .param("eventId", eventId).param("aggregateType", Issue.KIND).param("issueId", issueId)
                .param("eventType", ISSUE_CANCELED).param("traceId", traceId).param("traceContext", traceContext())
                .param("canceledAt", canceledAt.toString()).param("reason", reason)
                .update();
        if (written == 0) {
            log.info("Issue {} is canceled; its cancellation was recorded before (trace {})", issueId, traceId);
            return false;
        }
        wakeUp.afterCommit();
        log.info("Issue {} became canceled; outbox event {} (trace {})", issueId, eventId, traceId);
        return true;
    }

    /**
     * Records that Issue {@code issueId} left {@code ready} at {@code leftAt} for a status that is not final, which
     * withdraws every attempt dispatched so far; must run in the transaction that moved it. Workers skip those work
     * orders when they are still queued and stop their runs, and ingest's run status no longer moves the Issue for
     * their runs. One row per withdrawal: the Issue may leave ready many times.
     *
     * @param reason why, when known; travels in the event
     * @return the highest withdrawn attempt number
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public int issueWithdrawn(String issueId, Instant leftAt, @Nullable String reason, @Nullable String traceId) {
        String eventId = Ids.newUlid();
        int through = attempts.withdraw(issueId);
        jdbc.sql("""
                        INSERT INTO outbox (event_id, aggregate_type, aggregate_id, event_type, trace_id, trace_context,
                                            payload)
                        SELECT :eventId, :aggregateType, id, :eventType, :traceId, CAST(:traceContext AS jsonb),
                               jsonb_strip_nulls(jsonb_build_object('issue_id', id, 'repo_id', repo_id,
                                                                    'canceled_at', CAST(:leftAt AS text),
                                                                    'reason', CAST(:reason AS text),
                                                                    'attempt', CAST(:through AS integer)))
                        FROM cwom_issues WHERE id = :issueId
                        """)
                .param("eventId", eventId).param("aggregateType", Issue.KIND).param("issueId", issueId)
                .param("eventType", ISSUE_WITHDRAWN).param("traceId", traceId).param("traceContext", traceContext())
                .param("leftAt", leftAt.toString()).param("reason", reason).param("through", through)
                .update();
        wakeUp.afterCommit();
        log.info("Issue {} left ready; its attempts up to {} are withdrawn, outbox event {} (trace {})", issueId,
                through, eventId, traceId);
        return through;
    }

    /**
     * The trace context of the request or record writing the row, as JSON, so that {@link OutboxRelay} continues
     * that trace when it publishes; null without a current span.
     */
    private @Nullable String traceContext() {
        Map<String, String> context = traces.current();
        return context.isEmpty() ? null : CwomJson.mapper().writeValueAsString(context);
    }
}
