package dev.cwom.ingest.sinkcontract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.testing.SharedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ?wait wakes on the sink's NOTIFY, gets its connection back after losing it, and polls only meanwhile. */
class SinkStoredSignalTests {

    /** Longer than any wait here: a waiter that answers in time was woken by a notice, not by polling. */
    private static final Duration NO_POLLING = Duration.ofMinutes(5);

    private String url;
    private SinkStoredSignal signal;

    @BeforeEach
    void database() {
        url = SharedPostgres.newDatabase("sink_signal");
    }

    @AfterEach
    void close() {
        if (signal != null) {
            signal.close();
        }
    }

    @Test
    void aWaiterWakesWhenTheSinkNotifiesItsKeyAndNotForAnotherKey() throws Exception {
        signal = new SinkStoredSignal(this::connect, Duration.ofMillis(100), NO_POLLING).start();
        await().atMost(Duration.ofSeconds(10)).until(signal::listening);
        AtomicBoolean stored = new AtomicBoolean();
        AtomicBoolean other = new AtomicBoolean();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Boolean> waiting = threads.submit(
                    () -> signal.await(SinkStoredSignal.runKey("R1"), Duration.ofSeconds(30), stored::get));
            Future<Duration> otherWaiting = threads.submit(() -> {
                long start = System.nanoTime();
                assertThat(signal.await(SinkStoredSignal.runKey("R2"), Duration.ofSeconds(3), other::get)).isTrue();
                return Duration.ofNanos(System.nanoTime() - start);
            });
            Thread.sleep(500);

            stored.set(true);
            other.set(true);
            long notified = System.nanoTime();
            notify("run:R1");

            assertThat(waiting.get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - notified)).isLessThan(Duration.ofSeconds(3));
            // R2's condition became true too, but nothing said so: it looked again only at its deadline
            assertThat(otherWaiting.get(10, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(Duration.ofMillis(2900));
        }
    }

    @Test
    void afterLosingItsConnectionItListensAgainAndWaitersStillWake() throws Exception {
        signal = new SinkStoredSignal(this::connect, Duration.ofMillis(100), NO_POLLING).start();
        await().atMost(Duration.ofSeconds(10)).until(signal::listening);

        try (Connection admin = connect(); Statement s = admin.createStatement()) {
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    + "WHERE query LIKE 'LISTEN%' AND datname = current_database() AND pid <> pg_backend_pid()");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !signal.listening());
        await().atMost(Duration.ofSeconds(10)).until(signal::listening);

        AtomicBoolean stored = new AtomicBoolean();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(
                () -> signal.await(SinkStoredSignal.artifactKey("A1"), Duration.ofSeconds(30), stored::get));
        Thread.sleep(200);
        stored.set(true);
        notify("artifact:A1");

        assertThat(waiting.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void withoutAConnectionWaitersPollEveryPollInterval() throws Exception {
        AtomicBoolean reachable = new AtomicBoolean(false);
        signal = new SinkStoredSignal(() -> {
            if (!reachable.get()) {
                throw new SQLException("database unreachable (test)", "08001");
            }
            return connect();
        }, Duration.ofMillis(100), Duration.ofMillis(100)).start();
        AtomicBoolean stored = new AtomicBoolean();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(
                () -> signal.await(SinkStoredSignal.runKey("R3"), Duration.ofSeconds(30), stored::get));
        Thread.sleep(300);

        stored.set(true);

        assertThat(waiting.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(signal.listening()).isFalse();
        reachable.set(true);
        await().atMost(Duration.ofSeconds(10)).until(signal::listening);
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, "postgres", "");
    }

    private void notify(String key) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_notify('" + SinkStoredSignal.CHANNEL + "', '" + key + "')");
        }
    }
}
