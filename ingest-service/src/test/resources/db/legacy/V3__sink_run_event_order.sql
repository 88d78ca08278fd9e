-- The sink (artifact-service) applies run events in whatever order they arrive (see RunRows in artifact-service):
-- the earliest RunStarted and the earliest RunFinished (by occurred_at, then event id) win, so it keeps which
-- ones it applied. A RunFinished or an artifact may arrive before the RunStarted; until that arrives the
-- run's mode is unknown, hence nullable (the Run record still requires it once the run has started).
ALTER TABLE cwom_runs ALTER COLUMN mode DROP NOT NULL;
ALTER TABLE cwom_runs ADD COLUMN started_event_id  text;
ALTER TABLE cwom_runs ADD COLUMN started_event_at  timestamptz;
ALTER TABLE cwom_runs ADD COLUMN terminal_event_id text;
ALTER TABLE cwom_runs ADD COLUMN terminal_event_at timestamptz;
