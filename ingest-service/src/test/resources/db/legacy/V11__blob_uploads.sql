-- Who stored which blob (artifact-service's per-principal storage quota). One row per principal and blob, however
-- often the principal uploads it; a blob stored by several principals counts for each of them. The blob janitor
-- deletes a blob's rows with the blob, which gives the bytes back to every principal that had stored it.
CREATE TABLE cwom_blob_uploads (
    principal         text        NOT NULL,
    digest            text        NOT NULL CHECK (digest ~ '^sha256:[0-9a-f]{64}$'),
    size_bytes        bigint      NOT NULL CHECK (size_bytes >= 0),
    first_uploaded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (principal, digest)
);

-- The janitor releases a deleted blob's rows by digest.
CREATE INDEX ix_cwom_blob_uploads_digest ON cwom_blob_uploads (digest);
