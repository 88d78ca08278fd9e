package dev.cwom.artifacts.blobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Housekeeping of the {@link BlobStore}, one {@link #sweep()} per round:
 *
 * <ol>
 *   <li>Files in {@code incoming/} not modified for {@code incomingMaxAge} are deleted: an upload killed with its
 *   process leaves its temp file there. An upload still receiving writes its file with every chunk (which renews
 *   its modification time), so it is never taken for dead unless it received nothing for that long, and then
 *   Tomcat's connection timeout has ended it long before.</li>
 *   <li>Only with a positive {@code orphanRetention}: blobs not uploaded for that long that no row of
 *   {@code cwom_artifacts} refers to are deleted. They come from workers that crashed between the upload and the
 *   transaction that publishes their {@code ArtifactCreated}; the new attempt uploads again, often the same
 *   content (which renews the old blob's time), but not always (a trace with timestamps). A deleted blob's rows in
 *   {@code cwom_blob_uploads} go with it, which gives its bytes back to the quota of every principal that stored
 *   it.</li>
 * </ol>
 *
 * <p>Several instances may sweep the same root at once: every deletion is of one file that either instance may take
 * (the loser finds it gone), and a blob is checked against its modification time again in the same step that deletes
 * it ({@link BlobStore#deleteIfUnmodifiedSince}), so an upload of the same content meanwhile keeps it.
 */
public class BlobJanitor {

    private static final Logger log = LoggerFactory.getLogger(BlobJanitor.class);

    /**
     * Of the given digests (64 hex each), those an artifact refers to by {@code digest} or by a {@code /blobs/}
     * path in its {@code uri} (the two indexes of db/sink/V4__artifacts_blob_references.sql); package-visible for the query plan test.
     */
    static final String REFERENCED = """
            SELECT d.hex FROM unnest(?::text[]) AS d(hex)
            WHERE EXISTS (SELECT 1 FROM cwom_artifacts a WHERE a.digest = 'sha256:' || d.hex)
               OR EXISTS (SELECT 1 FROM cwom_artifacts a WHERE a.uri LIKE '%/blobs/%'
                          AND lower(substring(a.uri FROM '/blobs/(?:sha256:)?([0-9A-Fa-f]{64})')) = d.hex)""";

    /** Digests asked about in one query. */
    static final int BATCH = 500;

    private final BlobStore store;
    private final JdbcTemplate jdbc;
    private final BlobUploadLedger ledger;
    private final Clock clock;
    private final Duration incomingMaxAge;
    private final Duration orphanRetention;

    /**
     * @param incomingMaxAge age (since last modification) from which a file in {@code incoming/} is deleted
     * @param orphanRetention age from which an unreferenced blob is deleted; zero keeps every blob
     */
    BlobJanitor(BlobStore store, JdbcTemplate jdbc, BlobUploadLedger ledger, Clock clock, Duration incomingMaxAge,
            Duration orphanRetention) {
        this.store = store;
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.clock = clock;
        this.incomingMaxAge = incomingMaxAge;
        this.orphanRetention = orphanRetention;
    }

    /** What one round deleted. */
    public record Sweep(int incomingFiles, long incomingBytes, int orphans, long orphanBytes) {
    }

    /** One round; logs at INFO what it deleted, if anything. */
    public Sweep sweep() {
        Instant now = clock.instant();
        Removed incoming = sweepIncoming(now.minus(incomingMaxAge));
        Removed orphans = orphanRetention.isPositive() ? sweepOrphans(now.minus(orphanRetention)) : new Removed();
        if (incoming.files > 0) {
            log.info("Blob janitor deleted {} file(s), {} bytes, from {} left by uploads not written to for {}",
                    incoming.files, incoming.bytes, store.root().resolve("incoming"), incomingMaxAge);
        }
        if (orphans.files > 0) {
            log.info("Blob janitor deleted {} orphaned blob(s), {} bytes: not uploaded for {} and no artifact refers"
                    + " to them", orphans.files, orphans.bytes, orphanRetention);
        }
        return new Sweep(incoming.files, incoming.bytes, orphans.files, orphans.bytes);
    }

    private Removed sweepIncoming(Instant cutoff) {
        Removed removed = new Removed();
        try {
            store.forEachIncoming(file -> {
                if (file.lastModified().isBefore(cutoff)) {
                    try {
                        if (Files.deleteIfExists(file.path())) {
                            removed.add(file.sizeBytes());
                        }
                    } catch (IOException e) {
                        log.warn("Blob janitor could not delete {}: {}", file.path(), e.toString());
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Blob janitor could not list " + store.root().resolve("incoming"), e);
        }
        return removed;
    }

    private Removed sweepOrphans(Instant cutoff) {
        Removed removed = new Removed();
        List<BlobDigest> batch = new ArrayList<>(BATCH);
        try {
            store.forEachBlob(blob -> {
                if (blob.file().lastModified().isBefore(cutoff)) {
                    batch.add(blob.digest());
                    if (batch.size() == BATCH) {
                        deleteUnreferenced(batch, cutoff, removed);
                        batch.clear();
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Blob janitor could not list " + store.root().resolve("sha256"), e);
        }
        deleteUnreferenced(batch, cutoff, removed);
        return removed;
    }

    private void deleteUnreferenced(List<BlobDigest> candidates, Instant cutoff, Removed removed) {
        if (candidates.isEmpty()) {
            return;
        }
        String[] hexes = candidates.stream().map(BlobDigest::hex).toArray(String[]::new);
        Set<String> referenced = new HashSet<>(jdbc.queryForList(REFERENCED, String.class, (Object) hexes));
        for (BlobDigest digest : candidates) {
            if (referenced.contains(digest.hex())) {
                continue;
            }
            try {
                OptionalLong freed = store.deleteIfUnmodifiedSince(digest, cutoff);
                if (freed.isPresent()) {
                    removed.add(freed.getAsLong());
                    release(digest);
                }
            } catch (NoSuchFileException e) {
                // another instance's janitor took it meanwhile
            } catch (IOException e) {
                log.warn("Blob janitor could not delete orphaned blob {}: {}", digest, e.toString());
            }
        }
    }

    // The uploaders' quota: the deleted blob no longer counts for anyone.
    private void release(BlobDigest digest) {
        try {
            ledger.release(digest);
        } catch (DataAccessException e) {
            log.warn("Blob janitor deleted blob {} but could not release its quota rows ({}); they count against"
                    + " their principals until removed: DELETE FROM cwom_blob_uploads WHERE digest = '{}'",
                    digest, e.toString(), digest);
        }
    }

    /** A running count of deleted files and their bytes. */
    private static final class Removed {
        int files;
        long bytes;

        void add(long sizeBytes) {
            files++;
            bytes += sizeBytes;
        }
    }
}
