package dev.cwom.ingest.dispatch;

import dev.cwom.ingest.issues.IssueEvents;
import dev.cwom.model.Ids;
import dev.cwom.model.Issue;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one seam through which an Issue enters the work pipeline, and leaves it. Whoever makes an Issue {@code ready} (a
 * create, a status change, the task bridge) publishes {@link IssueEvents.BecameReady} inside its own transaction, and
 * whoever makes it {@code canceled} (a status change, a canceled run) {@link IssueEvents.Canceled}; this listens
 * synchronously, in that transaction, so the outbox row exists exactly when the status change is committed. {@link OutboxRelay} publishes the rows, key = issue id, as work orders
 * to {@code cwom.issues.ready.v1} and cancellations to {@code cwom.issues.canceled.v1}, and marks them published only
 * after the broker acknowledged.
 */
@Component
public class WorkOrderOutbox {

    /** The outbox's event type for a ready Issue. */
    public static final String ISSUE_READY = "IssueReady";
    /** The outbox's event type for a canceled Issue. */
    public static final String ISSUE_CANCELED = "IssueCanceled";

    private static final Logger log = LoggerFactory.getLogger(WorkOrderOutbox.class);

    private final JdbcClient jdbc;

    public WorkOrderOutbox(JdbcClient jdbc) {
        this.jdbc = jdbc;
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

    /**
     * Records that Issue {@code issueId} became ready; must run in the transaction that made it so.
     *
     * @param requestedBy the principal who made it ready; travels in the work order
     * @param policyRefId the DoctrineRef of the operator policy version it was admitted under; pinned in the work order
     * @return the event id of the work order to come (its de-duplication key downstream)
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public String issueBecameReady(String issueId, @Nullable String traceId, String requestedBy,
            String policyRefId) {
        String eventId = Ids.newUlid();
        jdbc.sql("""
                        INSERT INTO outbox (event_id, aggregate_type, aggregate_id, event_type, trace_id, payload)
                        VALUES (:eventId, :aggregateType, :issueId, :eventType, :traceId,
                                jsonb_strip_nulls(jsonb_build_object('issue_id', CAST(:issueId AS text),
                                                                     'trace_id', CAST(:traceId AS text),
                                                                     'requested_by', CAST(:requestedBy AS text),
                                                                     'policy_ref_id', CAST(:policyRefId AS text))))
                        """)
                .param("eventId", eventId).param("aggregateType", Issue.KIND).param("issueId", issueId)
                .param("eventType", ISSUE_READY).param("traceId", traceId)
                .param("requestedBy", requestedBy).param("policyRefId", policyRefId)
                .update();
        log.info("Issue {} became ready, asked by {}; outbox event {} (trace {})", issueId, requestedBy, eventId,
                traceId);
        return eventId;
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
                        INSERT INTO outbox (event_id, aggregate_type, aggregate_id, event_type, trace_id, payload)
                        SELECT :eventId, :aggregateType, id, :eventType, :traceId,
                               jsonb_strip_nulls(jsonb_build_object('issue_id', id, 'repo_id', repo_id,
                                                                    'canceled_at', CAST(:canceledAt AS text),
                                                                    'reason', CAST(:reason AS text)))
                        FROM cwom_issues WHERE id = :issueId
                        ON CONFLICT (aggregate_id) WHERE event_type = 'IssueCanceled' DO NOTHING
                        """)
                .param("eventId", eventId).param("aggregateType", Issue.KIND).param("issueId", issueId)
                .param("eventType", ISSUE_CANCELED).param("traceId", traceId)
                .param("canceledAt", canceledAt.toString()).param("reason", reason)
                .update();
        if (written == 0) {
            log.info("Issue {} is canceled; its cancellation was recorded before (trace {})", issueId, traceId);
            return false;
        }
        log.info("Issue {} became canceled; outbox event {} (trace {})", issueId, eventId, traceId);
        return true;
    }
}
