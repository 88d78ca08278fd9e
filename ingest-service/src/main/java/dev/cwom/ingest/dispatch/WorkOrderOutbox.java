package dev.cwom.ingest.dispatch;

import dev.cwom.model.Ids;
import dev.cwom.model.Issue;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one seam through which an Issue enters the work pipeline. Whoever makes an Issue {@code ready} (a create,
 * a status change, the task bridge) calls {@link #issueBecameReady} inside its own transaction, so the outbox row
 * exists exactly when the status change is committed. A relay (a later issue) publishes the rows as work orders
 * to {@code cwom.issues.ready.v1}, key = issue id, and marks them published only after the broker acknowledged.
 */
@Component
public class WorkOrderOutbox {

    /** The outbox's event type for a ready Issue. */
    public static final String ISSUE_READY = "IssueReady";

    private static final Logger log = LoggerFactory.getLogger(WorkOrderOutbox.class);

    private final JdbcClient jdbc;

    public WorkOrderOutbox(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records that Issue {@code issueId} became ready; must run in the transaction that made it so.
     *
     * @return the event id of the work order to come (its de-duplication key downstream)
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public String issueBecameReady(String issueId, @Nullable String traceId) {
        String eventId = Ids.newUlid();
        jdbc.sql("""
                        INSERT INTO outbox (event_id, aggregate_type, aggregate_id, event_type, trace_id, payload)
                        VALUES (:eventId, :aggregateType, :issueId, :eventType, :traceId,
                                jsonb_strip_nulls(jsonb_build_object('issue_id', CAST(:issueId AS text),
                                                                     'trace_id', CAST(:traceId AS text))))
                        """)
                .param("eventId", eventId).param("aggregateType", Issue.KIND).param("issueId", issueId)
                .param("eventType", ISSUE_READY).param("traceId", traceId)
                .update();
        log.info("Issue {} became ready; outbox event {} (trace {})", issueId, eventId, traceId);
        return eventId;
    }
}
