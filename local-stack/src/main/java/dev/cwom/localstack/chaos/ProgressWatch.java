package dev.cwom.localstack.chaos;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * How many Issues are {@code done}, asked of the database every half second on a connection of its own, which is
 * opened again after PostgreSQL was restarted. The suite's stack is fresh, so every Issue in it is the suite's. It
 * tells when the pipeline moves again after a fault: the first poll that sees more Issues done than before.
 */
final class ProgressWatch implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(500);

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final Thread thread;
    private final Object changed = new Object();
    private volatile boolean running = true;
    private volatile long done;
    private volatile long lastIncreaseNanos = System.nanoTime();

    ProgressWatch(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        thread = Thread.ofPlatform().name("chaos-progress").daemon().start(this::loop);
    }

    long done() {
        return done;
    }

    long lastIncreaseNanos() {
        return lastIncreaseNanos;
    }

    /**
     * Waits until more than {@code doneBefore} Issues are done; answers the {@link System#nanoTime()} of the poll that
     * saw it, or -1 after {@code timeout}.
     */
    long awaitMoreThan(long doneBefore, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (changed) {
            while (done <= doneBefore) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return -1;
                }
                changed.wait(Math.max(1, left / 1_000_000));
            }
            return lastIncreaseNanos;
        }
    }

    private void loop() {
        while (running) {
            try (Connection db = DriverManager.getConnection(jdbcUrl, user, password);
                    Statement query = db.createStatement()) {
                while (running) {
                    try (ResultSet rows = query.executeQuery("SELECT count(*) FROM cwom_issues WHERE status = 'done'")) {
                        rows.next();
                        long now = rows.getLong(1);
                        if (now > done) {
                            synchronized (changed) {
                                done = now;
                                lastIncreaseNanos = System.nanoTime();
                                changed.notifyAll();
                            }
                        }
                    }
                    Thread.sleep(POLL.toMillis());
                }
            } catch (SQLException e) {
                // PostgreSQL restarting: connect again after a pause
                sleep(Duration.ofSeconds(1));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
