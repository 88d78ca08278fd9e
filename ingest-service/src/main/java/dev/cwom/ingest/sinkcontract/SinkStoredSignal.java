package dev.cwom.ingest.sinkcontract;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears the sink say it stored something: artifact-service sends {@code NOTIFY cwom_sink_stored, 'run:<id>'} (or
 * {@code 'artifact:<id>'}) in the transaction that stores it, so the notice arrives once the rows are committed.
 * One dedicated connection LISTENs on a virtual thread and wakes the {@link #await waiters} of that key, which then
 * look at the views again. The connection is opened again after a loss; until then waiters fall back to looking
 * every {@code pollInterval}, so {@code ?wait} still answers, only less promptly.
 */
public final class SinkStoredSignal implements AutoCloseable {

    /** The channel the sink notifies on (docs/contracts/sink-views-v1.md). */
    public static final String CHANNEL = "cwom_sink_stored";

    /** Opens the listener's connection. */
    @FunctionalInterface
    public interface Connector {
        Connection connect() throws SQLException;
    }

    private static final Logger log = LoggerFactory.getLogger(SinkStoredSignal.class);
    /** How long one wait for notifications blocks before the loop checks whether it should stop. */
    private static final int RECEIVE_MILLIS = 1000;
    /** How often an idle connection is checked, so that a silently broken one is noticed. */
    private static final Duration CHECK_IDLE = Duration.ofSeconds(10);

    private final Connector connector;
    private final Duration reconnectInterval;
    private final Duration pollInterval;
    private final ConcurrentHashMap<String, Set<Semaphore>> waiters = new ConcurrentHashMap<>();
    private volatile boolean listening;
    private volatile boolean closed;
    private @Nullable Thread thread;

    public SinkStoredSignal(Connector connector, Duration reconnectInterval, Duration pollInterval) {
        this.connector = connector;
        this.reconnectInterval = reconnectInterval;
        this.pollInterval = pollInterval;
    }

    /** Starts listening (on a virtual thread); waiters poll until the first connection is up. */
    public synchronized SinkStoredSignal start() {
        if (thread == null) {
            thread = Thread.ofVirtual().name("sink-stored-listener").start(this::listen);
        }
        return this;
    }

    /** Whether the listener is connected and LISTENing; while not, waiters poll. */
    public boolean listening() {
        return listening;
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
                long pause = listening ? left : Math.min(left, pollInterval.toNanos());
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

    private void listen() {
        boolean warned = false;
        while (!closed) {
            try (Connection connection = connector.connect()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                listening = true;
                if (warned) {
                    log.info("Listening on {} again; ?wait wakes on the sink's notices", CHANNEL);
                    warned = false;
                }
                // something may have been stored while nobody listened
                wakeAll();
                receive(connection);
            } catch (SQLException | RuntimeException e) {
                if (!closed && !warned) {
                    log.warn("Not listening on {} ({}); ?wait polls the sink's views every {} until the connection "
                            + "is back", CHANNEL, e.toString(), pollInterval);
                    warned = true;
                }
            } finally {
                listening = false;
                // waiters blocked until their deadline would not poll: let them look and switch to polling
                wakeAll();
            }
            pause();
        }
    }

    private void receive(Connection connection) throws SQLException {
        PGConnection pg = connection.unwrap(PGConnection.class);
        long lastCheck = System.nanoTime();
        while (!closed) {
            PGNotification[] notices = pg.getNotifications(RECEIVE_MILLIS);
            if (notices != null && notices.length > 0) {
                for (PGNotification notice : notices) {
                    wake(notice.getParameter());
                }
                lastCheck = System.nanoTime();
            } else if (System.nanoTime() - lastCheck > CHECK_IDLE.toNanos()) {
                if (!connection.isValid((int) CHECK_IDLE.toSeconds())) {
                    throw new SQLException("the listener's connection is no longer valid");
                }
                lastCheck = System.nanoTime();
            }
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

    private void pause() {
        if (closed) {
            return;
        }
        try {
            Thread.sleep(reconnectInterval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
