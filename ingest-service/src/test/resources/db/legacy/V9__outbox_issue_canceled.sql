-- Cancellation reaches the workers (ingest-service): when an Issue becomes canceled, the transaction that cancels it
-- writes an outbox row with event_type 'IssueCanceled' next to the 'IssueReady' rows, and the same relay publishes
-- it to cwom.issues.canceled.v1. Its payload carries what the event needs and the Issue no longer changes:
-- {"issue_id", "repo_id", "canceled_at", "reason"?}.
ALTER TABLE outbox
    ADD CONSTRAINT ck_outbox_event_type CHECK (event_type IN ('IssueReady', 'IssueCanceled'));
-- canceled is final: one IssueCanceled per Issue, whichever path canceled it
CREATE UNIQUE INDEX uq_outbox_issue_canceled ON outbox (aggregate_id) WHERE event_type = 'IssueCanceled';
