package dev.cwom.ingest.dispatch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The outbox as an operator watches it:
 *
 * <ul>
 *   <li>{@code cwom_outbox_backlog}: rows waiting to be published (not parked);</li>
 *   <li>{@code cwom_outbox_oldest_age_seconds}: how long the oldest of them has waited (0 when none);</li>
 *   <li>{@code cwom_outbox_parked}: rows the relay gave up on, waiting for an operator;</li>
 *   <li>{@code cwom_outbox_published_total} and {@code cwom_outbox_publish_failures_total}: the relay's work.</li>
 * </ul>
 *
 * <p>The gauges are read from the database by two queries on the outbox's partial indexes, at most once per
 * {@link #MAX_AGE} however often Prometheus scrapes (every instance reports the same shared table, so a dashboard
 * takes the {@code max} over instances, not the sum). A failed read keeps the last values: a scrape must not fail
 * while the database is away, and readiness reports that.
 */
public final class OutboxMetrics {

    public static final String BACKLOG = "cwom.outbox.backlog";
    public static final String OLDEST_AGE = "cwom.outbox.oldest.age";
    public static final String PARKED = "cwom.outbox.parked";
    public static final String PUBLISHED = "cwom.outbox.published";
    public static final String PUBLISH_FAILURES = "cwom.outbox.publish.failures";

    static final Duration MAX_AGE = Duration.ofSeconds(5);

    private record Snapshot(long backlog, @Nullable Instant oldest, long parked, Instant readAt) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Counter published;
    private final Counter failures;
    private volatile Snapshot snapshot = new Snapshot(0, null, 0, Instant.EPOCH);

    public OutboxMetrics(JdbcClient jdbc, MeterRegistry registry, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        Gauge.builder(BACKLOG, this, m -> m.current().backlog()).description("outbox rows waiting to be published")
                .register(registry);
        Gauge.builder(OLDEST_AGE, this, OutboxMetrics::oldestAgeSeconds).baseUnit("seconds")
                .description("how long the oldest unpublished outbox row has waited").register(registry);
        Gauge.builder(PARKED, this, m -> m.current().parked()).description("outbox rows parked after failures")
                .register(registry);
        published = Counter.builder(PUBLISHED).description("outbox rows published").register(registry);
        failures = Counter.builder(PUBLISH_FAILURES).description("failed attempts to publish an outbox row")
                .register(registry);
    }

    void published(int rows) {
        published.increment(rows);
    }

    void publishFailed() {
        failures.increment();
    }

    private double oldestAgeSeconds() {
        Instant oldest = current().oldest();
        return oldest == null ? 0 : Math.max(0, Duration.between(oldest, clock.instant()).toMillis() / 1000.0);
    }

    private synchronized Snapshot current() {
        Instant now = clock.instant();
        if (Duration.between(snapshot.readAt(), now).compareTo(MAX_AGE) < 0) {
            return snapshot;
        }
        try {
            Snapshot read = jdbc.sql("SELECT count(*) AS n, min(created_at) AS oldest FROM outbox"
                            + " WHERE published_at IS NULL AND parked_at IS NULL")
                    .query((rs, i) -> {
                        Timestamp oldest = rs.getTimestamp("oldest");
                        return new Snapshot(rs.getLong("n"), oldest == null ? null : oldest.toInstant(), 0, now);
                    }).single();
            long parked = jdbc.sql("SELECT count(*) FROM outbox WHERE parked_at IS NOT NULL").query(Long.class)
                    .single();
            snapshot = new Snapshot(read.backlog(), read.oldest(), parked, now);
        } catch (RuntimeException e) {
            // keep the last values; try again after MAX_AGE
            snapshot = new Snapshot(snapshot.backlog(), snapshot.oldest(), snapshot.parked(), now);
        }
        return snapshot;
    }
}
