-- The task bridge (/tasks/enqueue): every task is mapped to CWOM and linked to its Issue.
CREATE TABLE tasks (
    id              varchar(26)  PRIMARY KEY,
    -- NULL when the caller gave no key; several NULLs never conflict
    idempotency_key text,
    -- the normalized request; a retry with the same key is compared against it (jsonb equality)
    payload         jsonb        NOT NULL,
    -- sha256 hex of payload's jsonb text form (PostgreSQL normalises key order), for quick comparison and audit
    payload_hash    text         NOT NULL,
    operation       text         NOT NULL,
    repo_slug       text         NOT NULL,
    requested_by    jsonb,
    cwom_issue_id   varchar(26)  REFERENCES cwom_issues (id),
    trace_id        text,
    created_at      timestamptz  NOT NULL,
    CONSTRAINT uq_tasks_idempotency_key UNIQUE (idempotency_key)
);
CREATE INDEX ix_tasks_cwom_issue ON tasks (cwom_issue_id);

-- Transactional outbox: a row is written in the same transaction that made an Issue ready; a relay
-- publishes it (key = aggregate_id, event_id as a header for de-duplication) and only then sets published_at.
CREATE TABLE outbox (
    id             bigserial    PRIMARY KEY,
    event_id       varchar(26)  NOT NULL,
    aggregate_type text         NOT NULL,
    aggregate_id   varchar(26)  NOT NULL,
    event_type     text         NOT NULL,
    trace_id       text,
    -- what the relay needs to build the event; JSON for now, the relay may switch to Avro bytes in payload_bytes
    payload        jsonb,
    payload_bytes  bytea,
    created_at     timestamptz  NOT NULL DEFAULT now(),
    published_at   timestamptz,
    attempts       integer      NOT NULL DEFAULT 0,
    last_error     text,
    CONSTRAINT uq_outbox_event_id UNIQUE (event_id)
);
CREATE INDEX ix_outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
CREATE INDEX ix_outbox_aggregate ON outbox (aggregate_id);
