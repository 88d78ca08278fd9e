-- Outbox relay (ingest-service): a row that keeps failing for a reason of its own (its work order cannot be built,
-- or the broker refuses it for good) is parked after cwom.ingest.relay.max-failed-attempts tries, so that it stops
-- being retried and stops holding the head of the queue. Operators find parked rows by parked_at; after fixing the
-- cause, `UPDATE outbox SET parked_at = NULL, parked_reason = NULL, failed_attempts = 0 WHERE id = ...` retries it.
ALTER TABLE outbox
    -- attempts that failed because of the row itself; ack timeouts and retriable broker errors do not count
    ADD COLUMN failed_attempts integer     NOT NULL DEFAULT 0,
    ADD COLUMN parked_at       timestamptz,
    ADD COLUMN parked_reason   text;
DROP INDEX ix_outbox_unpublished;
CREATE INDEX ix_outbox_pending ON outbox (id) WHERE published_at IS NULL AND parked_at IS NULL;
CREATE INDEX ix_outbox_parked ON outbox (parked_at) WHERE parked_at IS NOT NULL;

-- Run status (ingest-service): which RunFinished decided a run's final state. As in the sink (cwom_runs
-- terminal_event_at/id), the earliest one by (occurred_at, event id) wins whichever arrives first. Rows finished
-- before this migration have no terminal event recorded and keep their state.
ALTER TABLE ingest_issue_runs
    ADD COLUMN terminal_event_at timestamptz,
    ADD COLUMN terminal_event_id text;
