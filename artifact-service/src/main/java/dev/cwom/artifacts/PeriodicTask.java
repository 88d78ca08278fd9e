package dev.cwom.artifacts;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs a housekeeping round (the reaper's, the blob janitor's) every {@code period} on its own daemon thread, started
 * and stopped with the application; a failed round is logged and tried again next period, never ends the schedule.
 */
public final class PeriodicTask implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PeriodicTask.class);

    private final String name;
    private final Duration period;
    private final Runnable round;
    private @Nullable ScheduledExecutorService executor;

    /** @param name the thread's name and what the log says failed, e.g. "run-reaper" */
    public PeriodicTask(String name, Duration period, Runnable round) {
        this.name = name;
        this.period = period;
        this.round = round;
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::round, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void round() {
        try {
            round.run();
        } catch (RuntimeException e) {
            log.warn("A {} round failed, trying again in {}: {}", name, period, e.toString());
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
