package dev.cwom.worker.disk;

import dev.cwom.worker.DiskSettings;
import dev.cwom.worker.WorkerProperties;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.unit.DataSize;

/**
 * Whether the worker has the free space to take a work order: on the file systems of {@code trace-root} and
 * {@code work-root}, usable space must not be below {@code cwom.worker.disk.min-free} nor below
 * {@code min-free-percent} of the file system. Below either, pick-up pauses (runs in flight go on); it resumes once
 * every root is {@code resume-margin} above its limit again, so that a run's own writes do not flap it. Logs once
 * when it pauses and once when it resumes.
 */
public final class FreeSpaceGuard {

    private static final Logger log = LoggerFactory.getLogger(FreeSpaceGuard.class);

    private final String workerId;
    private final List<Root> roots;
    private final DiskSettings settings;
    private final FreeSpace space;
    private final Clock clock;
    private volatile @Nullable Report last;
    private Instant nextCheck = Instant.MIN;

    /** A folder the worker writes to, and the setting that names it. */
    private record Root(String setting, Path path) {
    }

    /**
     * One root as last measured.
     *
     * @param setting the setting that names it ({@code cwom.worker.trace-root})
     * @param path the folder
     * @param usableBytes bytes still usable on its file system; -1 when it could not be measured
     * @param totalBytes the file system's size; -1 when it could not be measured
     * @param limitBytes the free space below which pick-up pauses
     * @param low whether this root holds pick-up (below its limit, or still below limit + margin after a pause)
     * @param error why it could not be measured; then it does not hold pick-up
     */
    public record Measured(String setting, Path path, long usableBytes, long totalBytes, long limitBytes, boolean low,
            @Nullable String error) {

        @Override
        public String toString() {
            return error != null ? setting + " " + path + ": not measurable (" + error + ")"
                    : setting + " " + path + ": " + DataSize.ofBytes(usableBytes).toMegabytes() + " MB free of "
                            + DataSize.ofBytes(totalBytes).toMegabytes() + " MB, limit "
                            + DataSize.ofBytes(limitBytes).toMegabytes() + " MB";
        }
    }

    /**
     * The last measurement.
     *
     * @param paused whether pick-up is paused for lack of space
     * @param roots each root as measured
     * @param checkedAt when
     */
    public record Report(boolean paused, List<Measured> roots, Instant checkedAt) {

        public Report {
            roots = List.copyOf(roots);
        }

        /** The roots that hold pick-up, for messages. */
        public String lowRoots() {
            return roots.stream().filter(Measured::low).map(Measured::toString).collect(Collectors.joining("; "));
        }
    }

    public FreeSpaceGuard(WorkerProperties properties, FreeSpace space, Clock clock) {
        this.workerId = properties.workerId();
        this.roots = List.of(new Root("cwom.worker.trace-root", properties.traceRoot()),
                new Root("cwom.worker.work-root", properties.workRoot()));
        this.settings = properties.disk();
        this.space = space;
        this.clock = clock;
    }

    /** Whether pick-up must pause now. Measures when the last measurement is older than {@code check-interval}. */
    public boolean paused() {
        return report().paused();
    }

    /** The current state, measured again when the last measurement is older than {@code check-interval}. */
    public synchronized Report report() {
        Instant now = clock.instant();
        Report previous = last;
        if (previous != null && now.isBefore(nextCheck)) {
            return previous;
        }
        Report current = measure(previous != null && previous.paused(), now);
        nextCheck = now.plus(settings.checkInterval());
        last = current;
        if (current.paused() && (previous == null || !previous.paused())) {
            log.warn("Worker {}: pausing pick-up: free space is low ({}); runs in flight go on, no work order is"
                    + " taken until free space is {} above the limit again. Free space there (the quarantine"
                    + " <trace-root>/.quarantine/ may be deleted), or change cwom.worker.disk.min-free /"
                    + " min-free-percent", workerId, current.lowRoots(), settings.resumeMargin());
        } else if (!current.paused() && previous != null && previous.paused()) {
            log.info("Worker {}: resuming pick-up: free space is back ({})", workerId,
                    current.roots().stream().map(Measured::toString).collect(Collectors.joining("; ")));
        }
        return current;
    }

    private Report measure(boolean wasPaused, Instant now) {
        List<Measured> measured = new ArrayList<>();
        for (Root root : roots) {
            try {
                FreeSpace.Space found = space.of(root.path());
                long limit = limit(found.totalBytes());
                // Once paused, wait for the margin too: a run's own writes would otherwise resume and pause it again.
                long needed = wasPaused ? limit + settings.resumeMargin().toBytes() : limit;
                measured.add(new Measured(root.setting(), root.path(), found.usableBytes(), found.totalBytes(), limit,
                        limit > 0 && found.usableBytes() < needed, null));
            } catch (IOException | RuntimeException e) {
                // Not knowing is no reason to stop working; the warning says what is wrong.
                log.warn("Worker {}: cannot measure the free space of {} {}: {}", workerId, root.setting(),
                        root.path(), e.toString());
                measured.add(new Measured(root.setting(), root.path(), -1, -1, 0, false, e.toString()));
            }
        }
        return new Report(measured.stream().anyMatch(Measured::low), measured, now);
    }

    /** The larger of the two limits, either switched off by 0. */
    private long limit(long totalBytes) {
        long percent = (long) (totalBytes * (settings.minFreePercent() / 100.0));
        return Math.max(settings.minFree().toBytes(), percent);
    }
}
