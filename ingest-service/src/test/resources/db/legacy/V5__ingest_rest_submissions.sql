-- REST creates of Runs and Artifacts (ingest-service): the sink stores those kinds from events, so ingest keeps what a
-- client submitted under each id here, written in the transaction that publishes the event (a publish that fails
-- records nothing). A retry with the same id and the same content answers the existing object; other content under
-- the id, or an id an object of the pipeline already has, is a conflict - the same rule as the other kinds' creates.
CREATE TABLE ingest_rest_submissions (
    id          varchar(26)  PRIMARY KEY,
    kind        text         NOT NULL CHECK (kind IN ('Run', 'Artifact')),
    -- the submitted object as CWOM JSON with its id, without created_at / updated_at (as cwom_*.submitted)
    submitted   jsonb        NOT NULL,
    created_at  timestamptz  NOT NULL
);
