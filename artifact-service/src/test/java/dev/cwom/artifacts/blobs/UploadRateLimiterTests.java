package dev.cwom.artifacts.blobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UploadRateLimiterTests {

    private final AtomicLong now = new AtomicLong(1_000);
    private final UploadRateLimiter limiter = new UploadRateLimiter(
            principal -> principal.equals("unlimited") ? 0 : 6, now::get);

    @Test
    void aFullMinuteOfUploadsPassesAtOnceThenOneAtTheSteadyRate() {
        for (int i = 0; i < 6; i++) {
            limiter.acquire("ci");
        }
        assertThatExceptionOfType(UploadRateExceededException.class).isThrownBy(() -> limiter.acquire("ci"))
                .satisfies(e -> assertThat(e.retryAfterSeconds()).isEqualTo(10));

        now.addAndGet(TimeUnit.SECONDS.toNanos(10));
        limiter.acquire("ci");
        assertThatExceptionOfType(UploadRateExceededException.class).isThrownBy(() -> limiter.acquire("ci"));
    }

    @Test
    void principalsHaveBucketsOfTheirOwnAndZeroIsUnlimited() {
        for (int i = 0; i < 6; i++) {
            limiter.acquire("ci");
        }
        limiter.acquire("agent");
        for (int i = 0; i < 1000; i++) {
            limiter.acquire("unlimited");
        }
    }

    @Test
    void anIdleBucketFillsUpToOneMinutesWorthOnly() {
        limiter.acquire("ci");
        now.addAndGet(TimeUnit.HOURS.toNanos(1));
        for (int i = 0; i < 6; i++) {
            limiter.acquire("ci");
        }
        assertThatExceptionOfType(UploadRateExceededException.class).isThrownBy(() -> limiter.acquire("ci"));
    }
}
