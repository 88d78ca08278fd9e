-- artifact-service's tables (history flyway_history_sink): Runs and Artifacts, written only by the sink from
-- cwom.runs.v1 / cwom.artifacts.v1, and the pinned inputs of runs. Column names equal the JSON field names of
-- dev.cwom.model. Issues, repos, context packets, doctrine refs and constraint snapshots are ingest-service's: their
-- ids are kept here without foreign keys (each service owns its data and may live in a database of its own); the
-- events carry every id the sink stores, and ingest checked them before publishing.
--
-- V1 to V5 of this history are what the single history (flyway_schema_history V1 to V11 or V12) created for the
-- sink: a database migrated by it is baselined at V5, and V6 drops the foreign keys it had into ingest's tables.
CREATE TABLE cwom_runs (
    id                          varchar(26)  PRIMARY KEY,
    issue_id                    varchar(26)  NOT NULL,
    repo_id                     varchar(26)  NOT NULL,
    status                      text         NOT NULL DEFAULT 'planned'
        CHECK (status IN ('planned', 'ready', 'running', 'blocked', 'done', 'failed', 'canceled')),
    mode                        text         NOT NULL CHECK (mode IN ('human', 'agent', 'hybrid', 'system')),
    executor                    jsonb,
    inputs                      jsonb        NOT NULL DEFAULT '{}',
    plan                        jsonb        NOT NULL DEFAULT '{}',
    telemetry                   jsonb        NOT NULL DEFAULT '{}',
    cost                        jsonb        NOT NULL DEFAULT '{}',
    outputs                     jsonb        NOT NULL DEFAULT '{}',
    failure                     jsonb,
    tags                        jsonb        NOT NULL DEFAULT '[]',
    meta                        jsonb        NOT NULL DEFAULT '{}',
    -- the pinned ConstraintSnapshot, relationally (the pinned ContextPackets and DoctrineRefs are join tables)
    constraint_snapshot_id      varchar(26) ,
    constraint_snapshot_version text,
    constraint_snapshot_digest  text,
    worker_id                   text,
    work_order_event_id         text,
    last_heartbeat_at           timestamptz,
    -- the event id and time of the last event applied, so a redelivered or older event is recognised
    last_event_id               text,
    last_event_at               timestamptz,
    created_at                  timestamptz  NOT NULL,
    updated_at                  timestamptz  NOT NULL
);
CREATE INDEX ix_cwom_runs_issue ON cwom_runs (issue_id);
CREATE INDEX ix_cwom_runs_status ON cwom_runs (status);
CREATE INDEX ix_cwom_runs_running_heartbeat ON cwom_runs (last_heartbeat_at) WHERE status = 'running';

CREATE TABLE cwom_artifacts (
    id           varchar(26)  PRIMARY KEY,
    run_id       varchar(26)  NOT NULL REFERENCES cwom_runs (id),
    issue_id     varchar(26)  NOT NULL,
    type         text         NOT NULL CHECK (type IN ('code_patch', 'commit', 'pr', 'build', 'container_image', 'doc',
                                                       'report', 'dataset', 'log', 'trace', 'binary', 'link')),
    title        text         NOT NULL,
    uri          text         NOT NULL,
    digest       text,
    media_type   text,
    size_bytes   bigint       CHECK (size_bytes >= 0),
    preview      text,
    verification jsonb        NOT NULL DEFAULT '{}',
    tags         jsonb        NOT NULL DEFAULT '[]',
    meta         jsonb        NOT NULL DEFAULT '{}',
    event_id     text,
    created_at   timestamptz  NOT NULL,
    updated_at   timestamptz  NOT NULL,
    CONSTRAINT uq_cwom_artifacts_event_id UNIQUE (event_id)
);
CREATE INDEX ix_cwom_artifacts_run ON cwom_artifacts (run_id);
CREATE INDEX ix_cwom_artifacts_issue ON cwom_artifacts (issue_id);
CREATE INDEX ix_cwom_artifacts_type ON cwom_artifacts (type);

-- Join tables: the run join tables pin version and digest of what the Run started with.
CREATE TABLE cwom_run_context_packets (
    run_id            varchar(26)  NOT NULL REFERENCES cwom_runs (id),
    context_packet_id varchar(26)  NOT NULL,
    version           text,
    digest            text         NOT NULL,
    PRIMARY KEY (run_id, context_packet_id)
);
CREATE INDEX ix_cwom_run_context_packets_packet ON cwom_run_context_packets (context_packet_id);

CREATE TABLE cwom_run_doctrine_refs (
    run_id          varchar(26)  NOT NULL REFERENCES cwom_runs (id),
    doctrine_ref_id varchar(26)  NOT NULL,
    version         text,
    digest          text         NOT NULL,
    PRIMARY KEY (run_id, doctrine_ref_id)
);
CREATE INDEX ix_cwom_run_doctrine_refs_doctrine ON cwom_run_doctrine_refs (doctrine_ref_id);
