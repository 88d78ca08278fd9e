-- Provenance (issue 18). What each work order carried, kept so that a Run can be replayed on exactly its inputs and
-- its lineage can name the Issue and Repo it saw, not just today's versions of them. Content-addressed: an object's
-- canonical JSON is stored once per digest (the digest is the sha256 of exactly these bytes, so kind, id and version
-- are fixed by it), and each work order lists its inputs by digest in the order it carried them.
CREATE TABLE ingest_pinned_objects (
    digest         text         PRIMARY KEY CHECK (digest ~ '^sha256:[0-9a-f]{64}$'),
    kind           text         NOT NULL,
    id             varchar(26)  NOT NULL,
    version        text,
    canonical_json text         NOT NULL
);

-- event_id is the WorkOrder's (the outbox row's event_id), which the worker copies into RunStarted and the sink
-- publishes as sink_runs_v1.work_order_event_id: the way from a Run back to its inputs.
CREATE TABLE ingest_work_order_inputs (
    event_id text    NOT NULL,
    position integer NOT NULL CHECK (position >= 0),
    digest   text    NOT NULL REFERENCES ingest_pinned_objects (digest),
    PRIMARY KEY (event_id, position)
);
CREATE INDEX ix_ingest_work_order_inputs_digest ON ingest_work_order_inputs (digest);

-- Replays asked for over POST /cwom/runs/{id}/replay: the idempotency key's record and the answer given, so that a
-- retry with the same key gets the same answer and starts nothing.
CREATE TABLE ingest_replays (
    event_id        text         PRIMARY KEY,
    run_id          varchar(26)  NOT NULL,
    issue_id        varchar(26)  NOT NULL REFERENCES cwom_issues (id),
    inputs          text         NOT NULL CHECK (inputs IN ('original', 'current')),
    idempotency_key text         UNIQUE,
    requested_by    text         NOT NULL,
    answer          jsonb        NOT NULL,
    created_at      timestamptz  NOT NULL
);
CREATE INDEX ix_ingest_replays_run ON ingest_replays (run_id);
