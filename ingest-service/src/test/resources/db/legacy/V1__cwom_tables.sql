-- CWOM v0.1 storage: one table per kind, join tables for the many-to-many references, primary
-- relationships as foreign keys. Column names equal the JSON field names of dev.cwom.model, so a row
-- reads back into its record without a hand-written mapping; nested sub-objects, lists and meta are JSONB.
-- Enum columns hold the CWOM values (CwomEnum.value()) and are checked here, so no writer can store
-- a value the model cannot read back.
--
-- `submitted` (intent tables only) keeps the content the client submitted at creation, without server
-- timestamps: an idempotent retry of a create is compared against it (jsonb equality ignores key order
-- and number formatting), so later status changes and new links do not turn a retry into a conflict.

CREATE TABLE cwom_repos (
    id             varchar(26)  PRIMARY KEY,
    name           text         NOT NULL,
    slug           text         NOT NULL,
    source         jsonb,
    default_branch text         NOT NULL DEFAULT 'main',
    visibility     text         NOT NULL DEFAULT 'private'
        CHECK (visibility IN ('public', 'private', 'internal')),
    owners         jsonb        NOT NULL DEFAULT '[]',
    policy         jsonb        NOT NULL DEFAULT '{}',
    links          jsonb        NOT NULL DEFAULT '[]',
    tags           jsonb        NOT NULL DEFAULT '[]',
    meta           jsonb        NOT NULL DEFAULT '{}',
    submitted      jsonb        NOT NULL,
    created_at     timestamptz  NOT NULL,
    updated_at     timestamptz  NOT NULL,
    CONSTRAINT uq_cwom_repos_slug UNIQUE (slug)
);

CREATE TABLE cwom_issues (
    id            varchar(26)  PRIMARY KEY,
    repo_id       varchar(26)  NOT NULL REFERENCES cwom_repos (id),
    title         text         NOT NULL,
    description   text,
    type          text         NOT NULL
        CHECK (type IN ('feature', 'bug', 'chore', 'research', 'ops', 'doc', 'incident')),
    priority      text         NOT NULL DEFAULT 'P2' CHECK (priority IN ('P0', 'P1', 'P2', 'P3', 'P4')),
    status        text         NOT NULL DEFAULT 'planned'
        CHECK (status IN ('planned', 'ready', 'running', 'blocked', 'done', 'failed', 'canceled')),
    assignees     jsonb        NOT NULL DEFAULT '[]',
    watchers      jsonb        NOT NULL DEFAULT '[]',
    acceptance    jsonb        NOT NULL DEFAULT '{}',
    relationships jsonb        NOT NULL DEFAULT '{}',
    tags          jsonb        NOT NULL DEFAULT '[]',
    meta          jsonb        NOT NULL DEFAULT '{}',
    submitted     jsonb        NOT NULL,
    created_at    timestamptz  NOT NULL,
    updated_at    timestamptz  NOT NULL
);
CREATE INDEX ix_cwom_issues_repo_status ON cwom_issues (repo_id, status);
CREATE INDEX ix_cwom_issues_status ON cwom_issues (status);
CREATE INDEX ix_cwom_issues_type ON cwom_issues (type);
CREATE INDEX ix_cwom_issues_priority ON cwom_issues (priority);

CREATE TABLE cwom_constraint_snapshots (
    id          varchar(26)  PRIMARY KEY,
    scope       text         NOT NULL CHECK (scope IN ('personal', 'repo', 'org', 'system', 'run')),
    captured_at timestamptz  NOT NULL,
    owner       jsonb,
    constraints jsonb        NOT NULL DEFAULT '{}',
    tags        jsonb        NOT NULL DEFAULT '[]',
    meta        jsonb        NOT NULL DEFAULT '{}',
    submitted   jsonb        NOT NULL,
    created_at  timestamptz  NOT NULL,
    updated_at  timestamptz  NOT NULL
);
CREATE INDEX ix_cwom_constraint_snapshots_scope ON cwom_constraint_snapshots (scope);

CREATE TABLE cwom_doctrine_refs (
    id            varchar(26)  PRIMARY KEY,
    namespace     text         NOT NULL,
    name          text         NOT NULL,
    version       text         NOT NULL,
    type          text         NOT NULL
        CHECK (type IN ('principle', 'policy', 'procedure', 'heuristic', 'pattern')),
    priority      text         NOT NULL DEFAULT 'should' CHECK (priority IN ('must', 'should', 'may')),
    statement     text         NOT NULL,
    rationale     text,
    links         jsonb        NOT NULL DEFAULT '[]',
    applicability jsonb        NOT NULL DEFAULT '{}',
    tags          jsonb        NOT NULL DEFAULT '[]',
    meta          jsonb        NOT NULL DEFAULT '{}',
    submitted     jsonb        NOT NULL,
    created_at    timestamptz  NOT NULL,
    updated_at    timestamptz  NOT NULL,
    CONSTRAINT uq_cwom_doctrine_refs_namespace_name_version UNIQUE (namespace, name, version)
);
CREATE INDEX ix_cwom_doctrine_refs_namespace ON cwom_doctrine_refs (namespace);

CREATE TABLE cwom_context_packets (
    id                     varchar(26)  PRIMARY KEY,
    issue_id               varchar(26)  NOT NULL REFERENCES cwom_issues (id),
    version                text         NOT NULL,
    summary                text,
    inputs                 jsonb        NOT NULL DEFAULT '{}',
    assumptions            jsonb        NOT NULL DEFAULT '[]',
    open_questions         jsonb        NOT NULL DEFAULT '[]',
    instructions           text,
    constraint_snapshot_id varchar(26)  REFERENCES cwom_constraint_snapshots (id),
    tags                   jsonb        NOT NULL DEFAULT '[]',
    meta                   jsonb        NOT NULL DEFAULT '{}',
    submitted              jsonb        NOT NULL,
    created_at             timestamptz  NOT NULL,
    updated_at             timestamptz  NOT NULL,
    CONSTRAINT uq_cwom_context_packets_issue_version UNIQUE (issue_id, version)
);

-- Runs and artifacts: written only by the sink (artifact-service) from cwom.runs.v1 / cwom.artifacts.v1.
CREATE TABLE cwom_runs (
    id                          varchar(26)  PRIMARY KEY,
    issue_id                    varchar(26)  NOT NULL REFERENCES cwom_issues (id),
    repo_id                     varchar(26)  NOT NULL REFERENCES cwom_repos (id),
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
    constraint_snapshot_id      varchar(26)  REFERENCES cwom_constraint_snapshots (id),
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
    issue_id     varchar(26)  NOT NULL REFERENCES cwom_issues (id),
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

-- Join tables. `role` keeps Ref.role; the run join tables pin version and digest of what the Run started with.
CREATE TABLE cwom_issue_context_packets (
    issue_id          varchar(26)  NOT NULL REFERENCES cwom_issues (id),
    context_packet_id varchar(26)  NOT NULL REFERENCES cwom_context_packets (id),
    role              text,
    linked_at         timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (issue_id, context_packet_id)
);
CREATE INDEX ix_cwom_issue_context_packets_packet ON cwom_issue_context_packets (context_packet_id);

CREATE TABLE cwom_issue_doctrine_refs (
    issue_id        varchar(26)  NOT NULL REFERENCES cwom_issues (id),
    doctrine_ref_id varchar(26)  NOT NULL REFERENCES cwom_doctrine_refs (id),
    role            text,
    linked_at       timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (issue_id, doctrine_ref_id)
);
CREATE INDEX ix_cwom_issue_doctrine_refs_doctrine ON cwom_issue_doctrine_refs (doctrine_ref_id);

CREATE TABLE cwom_issue_constraint_snapshots (
    issue_id               varchar(26)  NOT NULL REFERENCES cwom_issues (id),
    constraint_snapshot_id varchar(26)  NOT NULL REFERENCES cwom_constraint_snapshots (id),
    role                   text,
    linked_at              timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (issue_id, constraint_snapshot_id)
);
CREATE INDEX ix_cwom_issue_constraint_snapshots_snapshot ON cwom_issue_constraint_snapshots (constraint_snapshot_id);

CREATE TABLE cwom_context_packet_doctrine_refs (
    context_packet_id varchar(26)  NOT NULL REFERENCES cwom_context_packets (id),
    doctrine_ref_id   varchar(26)  NOT NULL REFERENCES cwom_doctrine_refs (id),
    role              text,
    PRIMARY KEY (context_packet_id, doctrine_ref_id)
);
CREATE INDEX ix_cwom_context_packet_doctrine_refs_doctrine ON cwom_context_packet_doctrine_refs (doctrine_ref_id);

CREATE TABLE cwom_run_context_packets (
    run_id            varchar(26)  NOT NULL REFERENCES cwom_runs (id),
    context_packet_id varchar(26)  NOT NULL REFERENCES cwom_context_packets (id),
    version           text,
    digest            text         NOT NULL,
    PRIMARY KEY (run_id, context_packet_id)
);
CREATE INDEX ix_cwom_run_context_packets_packet ON cwom_run_context_packets (context_packet_id);

CREATE TABLE cwom_run_doctrine_refs (
    run_id          varchar(26)  NOT NULL REFERENCES cwom_runs (id),
    doctrine_ref_id varchar(26)  NOT NULL REFERENCES cwom_doctrine_refs (id),
    version         text,
    digest          text         NOT NULL,
    PRIMARY KEY (run_id, doctrine_ref_id)
);
CREATE INDEX ix_cwom_run_doctrine_refs_doctrine ON cwom_run_doctrine_refs (doctrine_ref_id);
