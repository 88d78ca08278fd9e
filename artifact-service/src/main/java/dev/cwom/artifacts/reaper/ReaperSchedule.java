package dev.cwom.artifacts.reaper;

import dev.cwom.artifacts.ArtifactServiceProperties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/** Runs {@link RunReaper#reap()} every {@code cwom.artifact.reaper.period}; a failed round is logged and retried. */
final class ReaperSchedule implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ReaperSchedule.class);

    private final RunReaper reaper;
    private final ArtifactServiceProperties.Reaper settings;
    private @Nullable ScheduledExecutorService executor;

    ReaperSchedule(RunReaper reaper, ArtifactServiceProperties.Reaper settings) {
        this.reaper = reaper;
        this.settings = settings;
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "run-reaper");
            thread.setDaemon(true);
            return thread;
        });
        long period = settings.period().toMillis();
        executor.scheduleWithFixedDelay(this::round, period, period, TimeUnit.MILLISECONDS);
    }

    private void round() {
        try {
            reaper.reap();
        } catch (RuntimeException e) {
            log.warn("Reaper round failed, trying again in {}: {}", settings.period(), e.toString());
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
