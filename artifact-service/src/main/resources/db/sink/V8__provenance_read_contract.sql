-- Provenance (issue 18): what ingest needs to replay a Run and to answer lineage questions, published through the
-- read contract (docs/contracts/sink-views-v1.md), compatibly.
--
-- sink_runs_v1 gains two columns at its end: the worker that ran the run (the lineage's "who executed it") and the
-- event id of the work order it ran (ingest keeps the inputs each work order carried under that id, which is how a
-- replay finds the original's canonical JSON). Both stay NULL for runs reported over REST.
CREATE OR REPLACE VIEW sink_runs_v1 AS
SELECT id, issue_id, repo_id, status, mode, executor, inputs, plan, telemetry, cost, outputs, failure, tags, meta,
       created_at, updated_at, worker_id, work_order_event_id
FROM cwom_runs;

-- Every pinned input of every run, one row each, so "which runs pinned the object with this digest" is one indexed
-- look-up rather than a scan of the runs' inputs JSON.
CREATE VIEW sink_run_inputs_v1 AS
SELECT run_id, 'ContextPacket' AS kind, context_packet_id AS id, version, digest FROM cwom_run_context_packets
UNION ALL
SELECT run_id, 'DoctrineRef', doctrine_ref_id, version, digest FROM cwom_run_doctrine_refs
UNION ALL
SELECT id, 'ConstraintSnapshot', constraint_snapshot_id, constraint_snapshot_version, constraint_snapshot_digest
FROM cwom_runs WHERE constraint_snapshot_digest IS NOT NULL;

COMMENT ON VIEW sink_run_inputs_v1 IS 'artifact-service read contract v1: the pinned inputs of Runs (read-only)';

-- The look-ups by digest the lineage query makes (run id order, for its pages).
CREATE INDEX ix_cwom_run_context_packets_digest ON cwom_run_context_packets (digest, run_id);
CREATE INDEX ix_cwom_run_doctrine_refs_digest ON cwom_run_doctrine_refs (digest, run_id);
CREATE INDEX ix_cwom_runs_constraint_snapshot_digest ON cwom_runs (constraint_snapshot_digest, id)
    WHERE constraint_snapshot_digest IS NOT NULL;
-- V4's index on the artifacts' digest (the blob janitor's) gains the id, so that a page of them is read in order
DROP INDEX ix_cwom_artifacts_digest;
CREATE INDEX ix_cwom_artifacts_digest ON cwom_artifacts (digest, id) WHERE digest IS NOT NULL;
-- the replay's look-up of a work order's run is by run id (primary key); no index on work_order_event_id needed
