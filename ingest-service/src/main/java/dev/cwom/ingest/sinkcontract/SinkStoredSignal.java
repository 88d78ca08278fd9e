package dev.cwom.ingest.sinkcontract;

import dev.cwom.ingest.store.PostgresListener;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Hears the sink say it stored something: artifact-service sends {@code NOTIFY cwom_sink_stored, 'run:<id>'} (or
 * {@code 'artifact:<id>'}) in the transaction that stores it, so the notice arrives once the rows are committed.
 * One dedicated connection LISTENs ({@link PostgresListener}) and wakes the {@link #await waiters} of that key, which
 * then look at the views again. The connection is opened again after a loss; until then waiters fall back to looking
 * every {@code pollInterval}, so {@code ?wait} still answers, only less promptly.
 */
public final class SinkStoredSignal implements AutoCloseable {

    /** The channel the sink notifies on (docs/contracts/sink-views-v1.md). */
    public static final String CHANNEL = "cwom_sink_stored";

    private final PostgresListener listener;
    private final Duration pollInterval;
    private final ConcurrentHashMap<String, Set<Semaphore>> waiters = new ConcurrentHashMap<>();

    public SinkStoredSignal(PostgresListener.Connector connector, Duration reconnectInterval, Duration pollInterval) {
        this.pollInterval = pollInterval;
        // on a change either way, waiters look: something may have been stored while nobody listened, and a waiter
        // blocked until its deadline must switch to polling
        this.listener = new PostgresListener(CHANNEL, "?wait polls the sink's views every " + pollInterval,
                connector, reconnectInterval, this::wake, this::wakeAll);
    }

    /** Starts listening (on a virtual thread); waiters poll until the first connection is up. */
    public SinkStoredSignal start() {
        listener.start();
        return this;
    }

    /** Whether the listener is connected and LISTENing; while not, waiters poll. */
    public boolean listening() {
        return listener.listening();
    }

    /** The key of a stored run in the channel's payload. */
    public static String runKey(String runId) {
        return "run:" + runId;
    }

    /** The key of a stored artifact in the channel's payload. */
    public static String artifactKey(String artifactId) {
        return "artifact:" + artifactId;
    }

    /**
     * Waits up to {@code wait} until {@code stored} says yes, asking it at once, on every notice for {@code key}, after
     * a loss of the listener's connection, and every {@code pollInterval} while it is not connected.
     *
     * @return whether {@code stored} said yes in time
     */
    public boolean await(String key, Duration wait, BooleanSupplier stored) {
        Semaphore wake = new Semaphore(0);
        // registered before the first look, so a notice between the look and the wait is not lost
        waiters.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(wake);
        try {
            long deadline = System.nanoTime() + wait.toNanos();
            while (true) {
                if (stored.getAsBoolean()) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                long pause = listener.listening() ? left : Math.min(left, pollInterval.toNanos());
                if (wake.tryAcquire(pause, TimeUnit.NANOSECONDS)) {
                    wake.drainPermits();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            waiters.computeIfPresent(key, (k, set) -> {
                set.remove(wake);
                return set.isEmpty() ? null : set;
            });
        }
    }

    private void wake(String key) {
        Set<Semaphore> set = waiters.get(key);
        if (set != null) {
            set.forEach(Semaphore::release);
        }
    }

    private void wakeAll() {
        waiters.values().forEach(set -> set.forEach(Semaphore::release));
    }

    @Override
    public void close() {
        listener.close();
    }
}
