package dev.cwom.worker.disk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <trace-root>/.quarantine/}: the runs the worker gave up on, kept so that an operator can look, one folder per
 * run ({@code <run_id>/trace/}, {@code <run_id>/<run_id>.zip} when it was bundled, {@code <run_id>/reason.txt}).
 * Bounded by a count and a size; the oldest (by when it was put here) is evicted first.
 */
final class Quarantine {

    private static final Logger log = LoggerFactory.getLogger(Quarantine.class);
    static final String FOLDER = ".quarantine";
    static final String TRACE = "trace";
    static final String REASON = "reason.txt";

    private final Path folder;
    private final int maxRuns;
    private final long maxBytes;
    private final String workerId;
    private final Clock clock;

    Quarantine(Path traceRoot, int maxRuns, long maxBytes, String workerId, Clock clock) {
        this.folder = traceRoot.resolve(FOLDER);
        this.maxRuns = maxRuns;
        this.maxBytes = maxBytes;
        this.workerId = workerId;
        this.clock = clock;
    }

    Path folder() {
        return folder;
    }

    /** Moves a run's trace folder and bundle here (both are under the trace root: a rename), then evicts. */
    synchronized void keep(String runId, Path traceFolder, Path bundle, String reason) {
        if (maxRuns == 0 || maxBytes == 0) {
            FileTrees.delete(bundle);
            FileTrees.delete(traceFolder);
            log.info("Worker {}: deleted the folders of run {} (the quarantine keeps nothing:"
                    + " cwom.worker.disk.quarantine-max-runs or -max-size is 0): {}", workerId, runId, reason);
            return;
        }
        Path entry = folder.resolve(runId);
        Instant now = clock.instant();
        try {
            Files.createDirectories(entry);
            if (Files.exists(bundle)) {
                Files.move(bundle, entry.resolve(bundle.getFileName()));
            }
            if (Files.exists(traceFolder)) {
                Files.move(traceFolder, entry.resolve(TRACE));
            }
            Files.writeString(entry.resolve(REASON), "run " + runId + " given up at " + now + " by worker "
                    + workerId + ": " + reason + "\n", StandardCharsets.UTF_8);
            // Eviction goes by this time: when the run was given up, not when its files were last written.
            Files.setLastModifiedTime(entry, FileTime.from(now));
            log.warn("Worker {}: run {} kept in quarantine {}: {}", workerId, runId, entry, reason);
        } catch (IOException e) {
            // Unbounded leftovers are what the quarantine is there to prevent: delete rather than keep outside it.
            log.warn("Worker {}: cannot move run {} into quarantine {} ({}); deleting its folders instead", workerId,
                    runId, entry, e.toString());
            FileTrees.delete(bundle);
            FileTrees.delete(traceFolder);
            FileTrees.delete(entry);
        }
        evict();
    }

    /** Deletes the oldest runs until the quarantine is within its count and size. */
    synchronized void evict() {
        List<Kept> kept = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path entry : entries.toList()) {
                kept.add(new Kept(entry, Files.getLastModifiedTime(entry), FileTrees.size(entry)));
            }
        } catch (IOException e) {
            log.warn("Worker {}: cannot list quarantine {} to bound it: {}", workerId, folder, e.toString());
            return;
        }
        kept.sort(Comparator.comparing(Kept::since).thenComparing(k -> k.path().getFileName().toString()));
        long bytes = kept.stream().mapToLong(Kept::bytes).sum();
        int count = kept.size();
        for (Kept oldest : kept) {
            if (count <= maxRuns && bytes <= maxBytes) {
                break;
            }
            FileTrees.delete(oldest.path());
            count--;
            bytes -= oldest.bytes();
            log.info("Worker {}: evicted {} ({} bytes, quarantined at {}) from the quarantine, which keeps at most"
                    + " {} runs and {} bytes (cwom.worker.disk.quarantine-max-runs / -max-size)", workerId,
                    oldest.path().getFileName(), oldest.bytes(), oldest.since(), maxRuns, maxBytes);
        }
    }

    private record Kept(Path path, FileTime since, long bytes) {
    }
}
