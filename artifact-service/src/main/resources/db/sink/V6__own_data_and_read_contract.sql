-- Each service owns its data (issue 17). A database migrated by the single history still has the foreign keys from
-- the sink's tables into ingest's; they go, so that either side can change, or move to a database of its own,
-- without the other. On a database created by this history they never existed (IF EXISTS).
ALTER TABLE cwom_runs DROP CONSTRAINT IF EXISTS cwom_runs_issue_id_fkey;
ALTER TABLE cwom_runs DROP CONSTRAINT IF EXISTS cwom_runs_repo_id_fkey;
ALTER TABLE cwom_runs DROP CONSTRAINT IF EXISTS cwom_runs_constraint_snapshot_id_fkey;
ALTER TABLE cwom_artifacts DROP CONSTRAINT IF EXISTS cwom_artifacts_issue_id_fkey;
ALTER TABLE cwom_run_context_packets DROP CONSTRAINT IF EXISTS cwom_run_context_packets_context_packet_id_fkey;
ALTER TABLE cwom_run_doctrine_refs DROP CONSTRAINT IF EXISTS cwom_run_doctrine_refs_doctrine_ref_id_fkey;

-- When the sink last stored a sign of life of the run (its start or a newer heartbeat), by the database's clock.
-- The reaper judges staleness on it rather than on last_heartbeat_at, which is the worker's clock: a worker whose
-- clock runs behind would otherwise get its live runs reaped, one whose clock runs ahead would keep dead ones.
-- Not indexed, so that a heartbeat stays a HOT update (V3). Existing rows start from their last update.
ALTER TABLE cwom_runs ADD COLUMN last_seen_at timestamptz;
UPDATE cwom_runs SET last_seen_at = updated_at;

-- The sink's published read contract, version 1 (docs/contracts/sink-views-v1.md): ingest-service reads runs and
-- artifacts only through these views, never the tables, so the sink may change its tables as long as the views keep
-- their columns and types. A breaking change is a new view (sink_runs_v2) next to this one until ingest moved over.
-- The columns are the CWOM fields of Run and Artifact (references as ids); the sink's bookkeeping is left out.
-- A run the sink knows only through an artifact is listed as planned, without mode, until its own events arrive.
CREATE VIEW sink_runs_v1 AS
SELECT id, issue_id, repo_id, status, mode, executor, inputs, plan, telemetry, cost, outputs, failure, tags, meta,
       created_at, updated_at
FROM cwom_runs;

CREATE VIEW sink_artifacts_v1 AS
SELECT id, run_id, issue_id, type, title, uri, digest, media_type, size_bytes, preview, verification, tags, meta,
       created_at, updated_at
FROM cwom_artifacts;

COMMENT ON VIEW sink_runs_v1 IS 'artifact-service read contract v1: Runs as the sink stored them (read-only)';
COMMENT ON VIEW sink_artifacts_v1 IS 'artifact-service read contract v1: Artifacts as the sink stored them (read-only)';
