package dev.cwom.artifacts.blobs;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs {@link BlobJanitor#sweep()} every {@code cwom.artifact.blobs.janitor-period}, as the reaper's schedule runs
 * the reaper; a failed round is logged and tried again next period.
 */
final class BlobJanitorSchedule implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BlobJanitorSchedule.class);

    private final BlobJanitor janitor;
    private final Duration period;
    private @Nullable ScheduledExecutorService executor;

    BlobJanitorSchedule(BlobJanitor janitor, Duration period) {
        this.janitor = janitor;
        this.period = period;
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "blob-janitor");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::round, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void round() {
        try {
            janitor.sweep();
        } catch (RuntimeException e) {
            log.warn("Blob janitor round failed, trying again in {}: {}", period, e.toString());
        }
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
