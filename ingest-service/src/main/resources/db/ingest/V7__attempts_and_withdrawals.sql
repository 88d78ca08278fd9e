-- The order of attempts (ingest-service): ingest numbers the attempts at each Issue, 1, 2, ..., taking the next number
-- each time it dispatches the Issue (an 'IssueReady' outbox row) and each time a run is reported over REST. Work
-- orders and run events carry the number, so the Issue's status follows the run with the highest attempt, never the
-- lexical order of run ids (client-chosen over REST, clock-dependent at workers).
-- withdrawn_through: when the Issue leaves ready (to planned, blocked, ...), its attempts up to last_attempt are
-- withdrawn: workers skip or stop them, and their runs no longer move the Issue. NULL while none is withdrawn.
CREATE TABLE ingest_issue_attempts (
    issue_id          varchar(26)  PRIMARY KEY REFERENCES cwom_issues (id),
    last_attempt      integer      NOT NULL CHECK (last_attempt > 0),
    withdrawn_through integer      CHECK (withdrawn_through > 0 AND withdrawn_through <= last_attempt)
);

-- Each run's attempt as its events tell it; NULL for runs of producers that did not number them (ranked lowest).
ALTER TABLE ingest_issue_runs ADD COLUMN attempt integer;
CREATE INDEX ix_ingest_issue_runs_attempt ON ingest_issue_runs (issue_id, attempt DESC NULLS LAST, run_id DESC);

-- A withdrawal travels like a cancellation (cwom.issues.canceled.v1, IssueCanceled with withdrawn_through_attempt),
-- from its own outbox event type; an Issue may leave ready many times, so there is no one-per-Issue index for it.
-- Payload: {"issue_id", "repo_id", "canceled_at" (when it left ready), "reason"?, "attempt" (withdrawn through)}.
-- An 'IssueReady' row's payload gains "attempt".
ALTER TABLE outbox DROP CONSTRAINT ck_outbox_event_type;
ALTER TABLE outbox
    ADD CONSTRAINT ck_outbox_event_type CHECK (event_type IN ('IssueReady', 'IssueCanceled', 'IssueWithdrawn'));
