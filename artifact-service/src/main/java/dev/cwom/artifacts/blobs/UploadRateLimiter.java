package dev.cwom.artifacts.blobs;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;

/**
 * Uploads per principal per minute, in this instance: a token bucket per principal that holds a minute's worth of
 * uploads and refills continuously, so bursts up to the limit pass and the steady rate is the limit. Kept in memory
 * (one bucket per principal seen; principals are configured identities, so they are few); with several instances
 * each allows the limit.
 */
class UploadRateLimiter {

    private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final ToIntFunction<String> perMinute;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /**
     * @param perMinute the limit of a principal; 0 is unlimited
     * @param nanoTime a monotonic clock ({@link System#nanoTime()} but in tests)
     */
    UploadRateLimiter(ToIntFunction<String> perMinute, LongSupplier nanoTime) {
        this.perMinute = perMinute;
        this.nanoTime = nanoTime;
    }

    /**
     * Takes one upload from {@code principal}'s allowance.
     *
     * @throws UploadRateExceededException when none is left, with the time until the next one
     */
    void acquire(String principal) {
        int limit = perMinute.applyAsInt(principal);
        if (limit <= 0) {
            return;
        }
        long now = nanoTime.getAsLong();
        long waitNanos = buckets.computeIfAbsent(principal, name -> new Bucket(limit, now)).take(limit, now);
        if (waitNanos > 0) {
            throw new UploadRateExceededException(principal, limit, Duration.ofNanos(waitNanos));
        }
    }

    private static final class Bucket {

        private double tokens;
        private long updated;

        Bucket(int limit, long now) {
            this.tokens = limit;
            this.updated = now;
        }

        /** Takes a token and answers 0, or answers the nanoseconds until one is there. */
        synchronized long take(int limit, long now) {
            double nanosPerToken = (double) MINUTE_NANOS / limit;
            tokens = Math.min(limit, tokens + (now - updated) / nanosPerToken);
            updated = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) * nanosPerToken);
        }
    }
}
