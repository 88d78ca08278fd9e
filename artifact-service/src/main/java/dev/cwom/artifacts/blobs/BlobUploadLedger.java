package dev.cwom.artifacts.blobs;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Who stored which blob: table {@code cwom_blob_uploads} (db/sink/V5__blob_uploads.sql), one row per principal and blob,
 * from which the bytes a principal uses are summed. A blob counts once per principal however often it uploads it,
 * and for every principal that uploaded it; rows go with the blob ({@link #release}).
 */
class BlobUploadLedger {

    private final JdbcClient jdbc;

    BlobUploadLedger(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Holds the quota decisions of {@code principal} (in every instance) until the current transaction ends, so two
     * concurrent uploads cannot both fit into the same remaining bytes.
     */
    void lock(String principal) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('cwom_blob_uploads'), hashtext(?))")
                .param(principal).query((row, n) -> 1).list();
    }

    /** The bytes of the blobs {@code principal} has stored. */
    long usedBytes(String principal) {
        return jdbc.sql("SELECT coalesce(sum(size_bytes), 0) FROM cwom_blob_uploads WHERE principal = ?")
                .param(principal).query(Long.class).single();
    }

    /** Whether {@code principal} has stored this blob already (so storing it again costs nothing). */
    boolean holds(String principal, BlobDigest digest) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM cwom_blob_uploads WHERE principal = ? AND digest = ?)")
                .params(principal, digest.toString()).query(Boolean.class).single();
    }

    /** Counts the blob for {@code principal}; nothing changes when it was counted already. */
    void record(String principal, BlobDigest digest, long sizeBytes) {
        jdbc.sql("INSERT INTO cwom_blob_uploads (principal, digest, size_bytes) VALUES (?, ?, ?)"
                        + " ON CONFLICT (principal, digest) DO NOTHING")
                .params(principal, digest.toString(), sizeBytes).update();
    }

    /** Forgets a deleted blob for every principal that had stored it, which gives them its bytes back. */
    int release(BlobDigest digest) {
        return jdbc.sql("DELETE FROM cwom_blob_uploads WHERE digest = ?").param(digest.toString()).update();
    }
}
