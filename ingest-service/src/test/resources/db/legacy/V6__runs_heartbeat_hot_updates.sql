-- The sink (artifact-service) updates a run row for every batch that holds one of its events, most often for a
-- heartbeat. PostgreSQL can update a row in place (a HOT update: no new index entries) only when no indexed
-- column changes and the row's page has room. ix_cwom_runs_running_heartbeat indexed last_heartbeat_at, so every
-- heartbeat wrote a new entry into every index of the table. The reaper, its only user, scans the running runs (a
-- small set) and filters them on the heartbeat, for which an index of the running runs' ids is enough.
DROP INDEX ix_cwom_runs_running_heartbeat;
CREATE INDEX ix_cwom_runs_running ON cwom_runs (id) WHERE status = 'running';
-- Room on each page for the updated versions of its rows (applies to pages written from now on). A run row is
-- large (executor, inputs, plan as jsonb) and the sink updates the runs of a batch together, often all rows of a
-- page at once; in the sink benchmark 80 made 4760 of 15000 updates HOT, 60 made 8000, 50 made 9200 (at most
-- 10000 can be: a finish changes the indexed status). 60 trades that against a table two thirds larger.
ALTER TABLE cwom_runs SET (fillfactor = 60);
