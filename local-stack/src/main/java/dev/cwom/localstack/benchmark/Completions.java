package dev.cwom.localstack.benchmark;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Watches the database for the sent Issues to become complete, that is {@code done} with a trace artifact stored,
 * and notes when each was first seen so. It asks only about the Issues still pending (primary-key look-ups), so the
 * cost of watching does not grow with the Issues already done and the watching does not become the bottleneck; the
 * poll interval is the resolution of every latency.
 */
final class Completions implements AutoCloseable {

    private static final String COMPLETE = """
            SELECT i.id FROM cwom_issues i
            WHERE i.id = ANY(?) AND i.status = 'done'
              AND EXISTS (SELECT 1 FROM cwom_artifacts a WHERE a.issue_id = i.id AND a.type = 'trace')
            """;

    private final Connection db;
    private final Duration interval;
    private final Map<String, Long> sentNanos = new ConcurrentHashMap<>();
    private final Map<String, Long> completeNanos = new ConcurrentHashMap<>();
    private final Thread poller;
    private volatile @Nullable SQLException failure;
    private volatile boolean closed;

    Completions(Connection db, Duration interval) {
        this.db = db;
        this.interval = interval;
        this.poller = Thread.ofPlatform().name(StackBenchmark.THREAD_PREFIX + "completions").daemon()
                .start(this::poll);
    }

    /** Called just before an Issue is sent: from now on it is watched. */
    void sent(String issueId, long nanos) {
        sentNanos.put(issueId, nanos);
    }

    /** When {@code issueId} was seen complete ({@link System#nanoTime()}), or null. */
    @Nullable Long completedAt(String issueId) {
        return completeNanos.get(issueId);
    }

    /** Sent-to-complete times in ms of these Issues, for those complete. */
    List<Long> latenciesMs(Collection<String> issueIds) {
        return issueIds.stream().filter(completeNanos::containsKey)
                .map(id -> TimeUnit.NANOSECONDS.toMillis(completeNanos.get(id) - sentNanos.get(id))).toList();
    }

    /**
     * Waits until every one of {@code issueIds} is complete, or none got complete for {@code stallTimeout}; answers
     * the nanoTime the last of them was seen complete, or null when some never were.
     */
    @Nullable Long awaitAll(Collection<String> issueIds, Duration stallTimeout) throws InterruptedException {
        long lastProgress = System.nanoTime();
        int complete = -1;
        while (true) {
            SQLException error = failure;
            if (error != null) {
                throw new IllegalStateException("Could not ask the database which Issues are done: "
                        + error.getMessage(), error);
            }
            int now = (int) issueIds.stream().filter(completeNanos::containsKey).count();
            if (now == issueIds.size()) {
                return issueIds.stream().mapToLong(completeNanos::get).max().orElse(System.nanoTime());
            }
            if (now != complete) {
                complete = now;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > stallTimeout.toNanos()) {
                return null;
            }
            Thread.sleep(interval.toMillis());
        }
    }

    private void poll() {
        try (PreparedStatement query = db.prepareStatement(COMPLETE)) {
            while (!closed) {
                Object[] pending = sentNanos.keySet().stream().filter(id -> !completeNanos.containsKey(id))
                        .toArray();
                if (pending.length > 0) {
                    query.setArray(1, db.createArrayOf("varchar", pending));
                    // The query sees the database as of its start: what it finds was complete by then.
                    long asked = System.nanoTime();
                    try (ResultSet rows = query.executeQuery()) {
                        while (rows.next()) {
                            completeNanos.putIfAbsent(rows.getString(1), asked);
                        }
                    }
                }
                Thread.sleep(pause(interval, pending.length).toMillis());
            }
        } catch (SQLException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The pause before the next question: the interval, or longer while many Issues are pending (a fifth of a ms
     * each), so that a thousand look-ups are asked for five times a second rather than twenty and the watching stays
     * a few percent of one core. A latency measured while few are pending keeps the interval's resolution.
     */
    static Duration pause(Duration interval, int pending) {
        Duration byPending = Duration.ofMillis(pending / 5);
        return byPending.compareTo(interval) > 0 ? byPending : interval;
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        poller.join(10_000);
    }
}
