-- Which OpenLineage events and which attestation artifact-service has emitted for each run (docs/provenance.md).
-- The sink adds a row, in the transaction that stores a run's start or finish, for every run not yet listed; the
-- provenance round emits what is due for the rows whose finish is not yet emitted and records it in its own
-- transaction, so each run's START and final event and its attestation are emitted once (at least once on Kafka,
-- with identical content when repeated: see docs/provenance.md).
CREATE TABLE cwom_run_provenance (
    run_id            varchar(26) PRIMARY KEY REFERENCES cwom_runs (id),
    start_emitted_at  timestamptz,
    finish_emitted_at timestamptz,
    attestation_id    varchar(26),
    -- when a round last looked at the row without finishing it (the run still runs, or an artifact it lists is not
    -- stored yet): rounds take the rows looked at longest ago first, so such runs never starve the others
    checked_at        timestamptz
);
-- The round's only query: the rows still due, a small set however long the history.
CREATE INDEX ix_cwom_run_provenance_due ON cwom_run_provenance (checked_at NULLS FIRST, run_id)
    WHERE finish_emitted_at IS NULL;
-- Runs stored before provenance existed get no events and no attestation after the fact: the lineage tool would see
-- years of history arrive at once, and their worker's policy version was never recorded.
INSERT INTO cwom_run_provenance (run_id, start_emitted_at, finish_emitted_at)
SELECT id, now(), now() FROM cwom_runs;
