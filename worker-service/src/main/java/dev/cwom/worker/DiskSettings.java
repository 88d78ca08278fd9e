package dev.cwom.worker;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

/**
 * The worker's disk: what is kept of runs that could not be delivered, and how much free space the worker needs
 * before it takes a work order. A run's trace folder, bundle and work folder are deleted once its finish is
 * committed; those of a run the worker gives up on go to the quarantine {@code <trace-root>/.quarantine/}.
 * Settings {@code cwom.worker.disk.*} of {@link WorkerProperties}.
 *
 * @param quarantineMaxRuns how many given-up runs the quarantine keeps, the oldest evicted first; 0 keeps none;
 *     default 20
 * @param quarantineMaxSize how many bytes the quarantine keeps in all, the oldest evicted first (a single run
 *     larger than this is not kept); default 1GB
 * @param minFree free space (usable by the worker) below which it takes no work order, on the file system of
 *     {@code trace-root} and on that of {@code work-root}; 0 switches this limit off; default 1GB
 * @param minFreePercent the same limit as a percentage of each file system's size; the larger of the two limits
 *     applies; 0 switches this limit off; default 5
 * @param resumeMargin how far above the limit free space must be again before the worker takes work again, so
 *     that it does not pause and resume with every run; default 512MB
 * @param checkInterval how often free space is measured (it is asked for before each pick-up, and measured at
 *     most this often); default 1 s
 */
public record DiskSettings(@Nullable Integer quarantineMaxRuns, @Nullable DataSize quarantineMaxSize,
        @Nullable DataSize minFree, @Nullable Double minFreePercent, @Nullable DataSize resumeMargin,
        @Nullable Duration checkInterval) {

    public DiskSettings {
        quarantineMaxRuns = WorkerProperties.or(quarantineMaxRuns, 20);
        if (quarantineMaxRuns < 0) {
            throw new IllegalArgumentException("cwom.worker.disk.quarantine-max-runs is " + quarantineMaxRuns
                    + "; use 0 to keep no given-up run, or a positive count");
        }
        quarantineMaxSize = WorkerProperties.or(quarantineMaxSize, DataSize.ofGigabytes(1));
        minFree = WorkerProperties.or(minFree, DataSize.ofGigabytes(1));
        minFreePercent = WorkerProperties.or(minFreePercent, 5.0);
        if (minFreePercent < 0 || minFreePercent >= 100) {
            throw new IllegalArgumentException("cwom.worker.disk.min-free-percent is " + minFreePercent
                    + "; it must be at least 0 (off) and below 100");
        }
        resumeMargin = WorkerProperties.or(resumeMargin, DataSize.ofMegabytes(512));
        checkInterval = WorkerProperties.or(checkInterval, Duration.ofSeconds(1));
        for (DataSize size : List.of(quarantineMaxSize, minFree, resumeMargin)) {
            if (size.isNegative()) {
                throw new IllegalArgumentException("cwom.worker.disk.* sizes must not be negative, but one is "
                        + size + "; use 0 to switch a limit off");
            }
        }
    }
}
