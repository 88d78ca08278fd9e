package dev.cwom.ingest.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code LISTEN}s on one PostgreSQL channel on a dedicated connection (not the pool's: it is held for as long as the
 * service runs), on a virtual thread, and hands each notice's payload to its handler. A {@code NOTIFY} is sent in the
 * transaction that writes what it announces, so the notice arrives once that is committed. When the connection is
 * lost (or found broken by the idle check) it is opened again after {@code reconnectInterval}; until then the user
 * falls back to polling. {@code changed} runs each time listening starts and each time it stops, since something may
 * have been announced while nobody listened and whoever waits should look now.
 */
public final class PostgresListener implements AutoCloseable {

    /** Opens the listener's connection. */
    @FunctionalInterface
    public interface Connector {
        Connection connect() throws SQLException;
    }

    private static final Logger log = LoggerFactory.getLogger(PostgresListener.class);
    /** How long one wait for notifications blocks before the loop checks whether it should stop. */
    private static final int RECEIVE_MILLIS = 1000;
    /** How often an idle connection is checked, so that a silently broken one is noticed. */
    private static final Duration CHECK_IDLE = Duration.ofSeconds(10);

    private final String channel;
    private final String fallback;
    private final Connector connector;
    private final Duration reconnectInterval;
    private final Consumer<String> notice;
    private final Runnable changed;
    private volatile boolean listening;
    private volatile boolean closed;
    private @Nullable Thread thread;

    /**
     * @param channel the channel, a plain identifier (it is put into {@code LISTEN} as it is)
     * @param fallback what the user does while not listening, for the log line that says so
     * @param notice gets each notice's payload
     * @param changed runs when listening starts and when it stops
     */
    public PostgresListener(String channel, String fallback, Connector connector, Duration reconnectInterval,
            Consumer<String> notice, Runnable changed) {
        if (!channel.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain channel name: " + channel);
        }
        this.channel = channel;
        this.fallback = fallback;
        this.connector = connector;
        this.reconnectInterval = reconnectInterval;
        this.notice = notice;
        this.changed = changed;
    }

    /** Starts listening on a virtual thread of its own. */
    public synchronized PostgresListener start() {
        if (thread == null && !closed) {
            thread = Thread.ofVirtual().name("pg-listener-" + channel).start(this::listen);
        }
        return this;
    }

    /** Whether the connection is up and LISTENing; while not, the user polls. */
    public boolean listening() {
        return listening;
    }

    private void listen() {
        boolean warned = false;
        while (!closed) {
            try (Connection connection = connector.connect()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + channel);
                }
                listening = true;
                if (warned) {
                    log.info("Listening on {} again", channel);
                    warned = false;
                }
                changed.run();
                receive(connection);
            } catch (SQLException | RuntimeException e) {
                if (!closed && !warned) {
                    log.warn("Not listening on {} ({}); {} until the connection is back", channel, e.toString(),
                            fallback);
                    warned = true;
                }
            } finally {
                if (listening) {
                    listening = false;
                    changed.run();
                }
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
                for (PGNotification received : notices) {
                    notice.accept(received.getParameter());
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
