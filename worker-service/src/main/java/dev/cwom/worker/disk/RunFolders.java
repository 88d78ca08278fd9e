package dev.cwom.worker.disk;

import dev.cwom.json.CwomJson;
import dev.cwom.model.Ids;
import dev.cwom.worker.DiskSettings;
import dev.cwom.worker.WorkerProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A run's files on the worker's disk and when they go: its trace folder {@code <trace-root>/<run_id>/}, its bundle
 * {@code <trace-root>/<run_id>.zip} and its work folder {@code <work-root>/<run_id>/}. {@link #remove} once the run's
 * finish is committed (its bundle is in the blob store); {@link #quarantine} when the worker gives up on it; and
 * {@link #sweep} at start-up for what a previous instance left.
 */
public final class RunFolders {

    private static final Logger log = LoggerFactory.getLogger(RunFolders.class);
    private static final String BUNDLE_SUFFIX = ".zip";
    // Preparing a run takes milliseconds; a trace folder without a manifest for this long is a dead one.
    private static final Duration PREPARE_AT_MOST = Duration.ofMinutes(10);

    private final Path traceRoot;
    private final Path workRoot;
    private final String workerId;
    private final Clock clock;
    private final Quarantine quarantine;

    public RunFolders(WorkerProperties properties, Clock clock) {
        this.traceRoot = properties.traceRoot();
        this.workRoot = properties.workRoot();
        this.workerId = properties.workerId();
        this.clock = clock;
        DiskSettings disk = properties.disk();
        this.quarantine = new Quarantine(traceRoot, disk.quarantineMaxRuns(), disk.quarantineMaxSize().toBytes(),
                workerId, clock);
    }

    /** Where a run's trace bundle is written: beside its trace folder. */
    public static Path bundle(Path traceRoot, String runId) {
        return traceRoot.resolve(runId + BUNDLE_SUFFIX);
    }

    /** {@code <trace-root>/.quarantine/}. */
    public Path quarantineFolder() {
        return quarantine.folder();
    }

    /**
     * Deletes a run's work folder, bundle and trace folder, in that order: the trace folder is made first and goes
     * last, so a bundle or work folder without it is a leftover, whoever's it was. Call it once the run's end (its
     * trace artifact with it) is committed, or when nothing of it was published.
     */
    public void remove(String runId) {
        FileTrees.delete(workRoot.resolve(runId));
        FileTrees.delete(bundle(traceRoot, runId));
        FileTrees.delete(traceRoot.resolve(runId));
    }

    /**
     * The worker gave up on a run (recorded failed, or left to be redelivered as a new attempt): its trace folder and
     * bundle are kept in the bounded quarantine, with {@code reason}. Its work folder is deleted: it holds sources and
     * builds that can be large and may be on another file system, and what the run made is in its trace.
     */
    public void quarantine(String runId, String reason) {
        FileTrees.delete(workRoot.resolve(runId));
        quarantine.keep(runId, traceRoot.resolve(runId), bundle(traceRoot, runId), reason);
    }

    /**
     * Removes what earlier instances of this worker left: the folders and bundles of runs not in {@code inFlight},
     * whose trace folder's manifest names this worker, has no manifest and is older than a prepare can take, or is
     * gone. The quarantine is left, but bounded again (its settings may have changed). Folders of another worker
     * (its id in the manifest: a trace root shared by instances) and names that are not run ids are left alone.
     *
     * @return the run ids removed
     */
    public Set<String> sweep(Set<String> inFlight) {
        Set<String> runIds = new TreeSet<>();
        runIds.addAll(runIdsIn(traceRoot));
        runIds.addAll(runIdsIn(workRoot));
        runIds.removeAll(inFlight);
        Set<String> removed = new TreeSet<>();
        for (String runId : runIds) {
            String owner = owner(runId);
            if (owner == null) {
                remove(runId);
                removed.add(runId);
            } else {
                log.info("Worker {}: leaving the folders of run {} in {}: {}", workerId, runId, traceRoot, owner);
            }
        }
        if (!removed.isEmpty()) {
            log.info("Worker {}: start-up sweep removed the folders of {} run(s) an earlier instance left in {} and"
                    + " {}: {}", workerId, removed.size(), traceRoot, workRoot, removed);
        }
        quarantine.evict();
        return removed;
    }

    /** Null when the run's folders are this worker's leftovers, else why they are not. */
    private @Nullable String owner(String runId) {
        Path folder = traceRoot.resolve(runId);
        if (!Files.isDirectory(folder)) {
            return null;
        }
        Path manifest = folder.resolve("manifest.json");
        try {
            if (!Files.exists(manifest)) {
                Instant modified = Files.getLastModifiedTime(folder).toInstant();
                return modified.isBefore(clock.instant().minus(PREPARE_AT_MOST)) ? null
                        : "no manifest yet, maybe a run being prepared by another instance sharing the trace root";
            }
            JsonNode workerNode = CwomJson.mapper().readTree(manifest.toFile()).get("worker_id");
            String owner = workerNode == null || workerNode.isNull() ? null : workerNode.asString();
            return owner == null || owner.equals(workerId) ? null
                    : "its manifest names worker '" + owner + "' (a trace root shared by instances)";
        } catch (IOException | JacksonException e) {
            // A broken manifest is a broken run; it cannot be another instance's run in progress for long.
            return null;
        }
    }

    private static List<String> runIdsIn(Path root) {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return ids;
        }
        try (Stream<Path> entries = Files.list(root)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                String id = name.endsWith(BUNDLE_SUFFIX) ? name.substring(0, name.length() - BUNDLE_SUFFIX.length())
                        : name;
                if (Ids.isUlid(id)) {
                    ids.add(id);
                }
            }
        } catch (IOException e) {
            log.warn("Cannot list {} for leftovers of earlier runs: {}", root, e.toString());
        }
        return ids;
    }
}
