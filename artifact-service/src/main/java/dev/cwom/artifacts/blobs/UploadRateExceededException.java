package dev.cwom.artifacts.blobs;

import java.time.Duration;

/** A principal started more uploads in a minute than {@code cwom.artifact.blobs.quota} allows it. */
class UploadRateExceededException extends RuntimeException {

    private final int limitPerMinute;
    private final Duration retryAfter;

    UploadRateExceededException(String principal, int limitPerMinute, Duration retryAfter) {
        super("Principal '" + principal + "' started more than " + limitPerMinute + " blob uploads per minute, its"
                + " limit; retry after " + seconds(retryAfter) + " s, or have the operator raise"
                + " cwom.artifact.blobs.quota.principals.[" + principal + "].uploads-per-minute"
                + " (or default-uploads-per-minute)");
        this.limitPerMinute = limitPerMinute;
        this.retryAfter = retryAfter;
    }

    int limitPerMinute() {
        return limitPerMinute;
    }

    /** Whole seconds until the next upload is allowed, at least 1 (the unit of {@code Retry-After}). */
    long retryAfterSeconds() {
        return seconds(retryAfter);
    }

    private static long seconds(Duration duration) {
        return Math.max(1, (duration.toNanos() + 999_999_999L) / 1_000_000_000L);
    }
}
