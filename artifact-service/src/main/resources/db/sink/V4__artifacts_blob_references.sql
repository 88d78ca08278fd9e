-- The blob janitor (artifact-service) deletes a blob only when no artifact refers to it, and asks that for every
-- blob older than its retention, round after round. An artifact refers to a blob by its digest, or by a
-- /blobs/<digest> path in its uri (an artifact may link a blob without stating a digest). Without these indexes
-- each question would read the whole table.
CREATE INDEX ix_cwom_artifacts_digest ON cwom_artifacts (digest) WHERE digest IS NOT NULL;
CREATE INDEX ix_cwom_artifacts_uri_blob ON cwom_artifacts
    ((lower(substring(uri FROM '/blobs/(?:sha256:)?([0-9A-Fa-f]{64})'))))
    WHERE uri LIKE '%/blobs/%';
