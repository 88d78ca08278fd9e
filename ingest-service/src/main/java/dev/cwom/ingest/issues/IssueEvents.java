package dev.cwom.ingest.issues;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What happens to an Issue that the work pipeline must hear about, published (Spring's
 * {@code ApplicationEventPublisher}) inside the transaction that made it so. Its listener, dispatch's outbox, runs
 * synchronously in that transaction, so the outbox row exists exactly when the status change is committed, and
 * issues need not know who dispatches work: dispatch depends on issues, never the other way round.
 */
public final class IssueEvents {

    private IssueEvents() {
    }

    /**
     * Issue {@code issueId} became ready.
     *
     * @param requestedBy the principal who made it ready; travels in the work order
     * @param policyRefId the DoctrineRef of the operator policy version it was admitted under
     */
    public record BecameReady(String issueId, @Nullable String traceId, String requestedBy, String policyRefId) {
    }

    /**
     * Issue {@code issueId} became canceled at {@code canceledAt}, by a user or by a run that ended canceled.
     *
     * @param reason why, when known; travels in the event
     */
    public record Canceled(String issueId, Instant canceledAt, @Nullable String reason, @Nullable String traceId) {
    }

    /**
     * Issue {@code issueId} left {@code ready} at {@code leftAt} for a status that is not final: the work orders
     * dispatched while it was ready no longer stand.
     *
     * @param reason why; travels in the event
     */
    public record Withdrawn(String issueId, Instant leftAt, String reason, @Nullable String traceId) {
    }
}
