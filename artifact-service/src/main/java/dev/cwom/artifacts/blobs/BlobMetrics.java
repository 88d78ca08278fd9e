package dev.cwom.artifacts.blobs;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The blob store as an operator watches it:
 *
 * <ul>
 *   <li>{@code cwom_blob_uploads_total{outcome}} and {@code cwom_blob_bytes_stored_total{outcome}}: accepted
 *       uploads and their bytes, {@code outcome} {@code created} (a new blob) or {@code existing} (the same content
 *       was stored already; nothing new on disk);</li>
 *   <li>{@code cwom_blob_bytes_served_total}: bytes of blobs answered to {@code GET /blobs/{digest}};</li>
 *   <li>{@code cwom_blob_janitor_deleted_files_total{kind}} and {@code cwom_blob_janitor_deleted_bytes_total{kind}}:
 *       what the janitor removed, {@code kind} {@code incoming} (dead uploads) or {@code orphan} (unreferenced
 *       blobs past their retention).</li>
 * </ul>
 */
public final class BlobMetrics {

    public static final String UPLOADS = "cwom.blob.uploads";
    public static final String BYTES_STORED = "cwom.blob.bytes.stored";
    public static final String BYTES_SERVED = "cwom.blob.bytes.served";
    public static final String JANITOR_FILES = "cwom.blob.janitor.deleted.files";
    public static final String JANITOR_BYTES = "cwom.blob.janitor.deleted.bytes";

    private final MeterRegistry registry;

    public BlobMetrics(MeterRegistry registry) {
        this.registry = registry;
        // at zero from the start, so that dashboards and alerts see the series before the first download or deletion
        registry.counter(BYTES_SERVED);
        deleted("incoming", 0, 0);
        deleted("orphan", 0, 0);
    }

    void uploaded(boolean created, long bytes) {
        String outcome = created ? "created" : "existing";
        registry.counter(UPLOADS, "outcome", outcome).increment();
        registry.counter(BYTES_STORED, "outcome", outcome).increment(bytes);
    }

    void served(long bytes) {
        registry.counter(BYTES_SERVED).increment(bytes);
    }

    /** One janitor round's deletions. */
    void swept(BlobJanitor.Sweep sweep) {
        deleted("incoming", sweep.incomingFiles(), sweep.incomingBytes());
        deleted("orphan", sweep.orphans(), sweep.orphanBytes());
    }

    private void deleted(String kind, int files, long bytes) {
        registry.counter(JANITOR_FILES, "kind", kind).increment(files);
        registry.counter(JANITOR_BYTES, "kind", kind).increment(bytes);
    }
}
