-- Kafka intake (ingest-service): one row per IssueSubmitted event that was stored, so that a producer's retry of the
-- same event (same event_id) is recognised and answered with what the first delivery stored, never stored twice.
CREATE TABLE intake_submissions (
    event_id     text         PRIMARY KEY,
    issue_id     varchar(26)  REFERENCES cwom_issues (id),
    task_id      varchar(26)  REFERENCES tasks (id),
    -- the issue id the submission named itself (NULL when the server assigned one): a retry under a new event id
    -- with the same issue id and the same content_digest is the same submission; other content is a conflict
    issue_key    varchar(26),
    -- sha256 of the submission's content (event id and time aside)
    content_digest text       NOT NULL,
    -- where the first delivery came from (topic-partition@offset), for operators
    source       text         NOT NULL,
    stored_at    timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX ix_intake_submissions_issue ON intake_submissions (issue_id);
CREATE INDEX ix_intake_submissions_issue_key ON intake_submissions (issue_key);

-- Run status (ingest-service): the runs ingest learned about from cwom.runs.v1, per Issue. The sink owns cwom_runs;
-- this table lets ingest list an Issue's runs and decide its status without waiting for the sink, in any order of
-- arrival. The latest attempt (highest run ULID) decides the Issue's status.
CREATE TABLE ingest_issue_runs (
    run_id       varchar(26)  PRIMARY KEY,
    issue_id     varchar(26)  NOT NULL REFERENCES cwom_issues (id),
    -- running until a RunFinished says done, failed or canceled; a final state is never overwritten
    state        text         NOT NULL CHECK (state IN ('running', 'done', 'failed', 'canceled')),
    updated_at   timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX ix_ingest_issue_runs_issue ON ingest_issue_runs (issue_id, run_id);
