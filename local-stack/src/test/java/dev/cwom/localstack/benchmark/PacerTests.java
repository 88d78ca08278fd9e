package dev.cwom.localstack.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PacerTests {

    @Test
    void eachSendIsDueAtTheStartPlusItsIndexOverTheRate() {
        Pacer pacer = new Pacer(1_000, 4);

        assertThat(pacer.dueNanos(0)).isEqualTo(1_000);
        assertThat(pacer.dueNanos(1)).isEqualTo(1_000 + 250_000_000L);
        assertThat(pacer.dueNanos(40)).isEqualTo(1_000 + 10_000_000_000L);
    }

    @Test
    void aLateSendDoesNotPushTheLaterOnesBack() {
        Pacer pacer = new Pacer(0, 10);
        long lateBy300Ms = Duration.ofMillis(400).toNanos();

        // send 1 was due at 100 ms and is made at 400 ms: sends 2 and 3 are overdue too, send 5 still due at 500 ms
        assertThat(pacer.waitNanos(2, lateBy300Ms)).isZero();
        assertThat(pacer.waitNanos(3, lateBy300Ms)).isZero();
        assertThat(pacer.waitNanos(5, lateBy300Ms)).isEqualTo(Duration.ofMillis(100).toNanos());
    }

    @Test
    void noRateMeansNoWaiting() {
        Pacer unpaced = new Pacer(0, 0);

        assertThat(unpaced.waitNanos(1_000_000, 0)).isZero();
        assertThat(unpaced.dueNanos(1_000_000)).isZero();
    }

    @Test
    void aFractionalRateKeepsItsPrecisionOverManySends() {
        Pacer pacer = new Pacer(0, 12.9);

        // 1290 sends at 12.9/s take 100 s, not 1290 x a rounded 77.5 ms
        assertThat(pacer.dueNanos(1_290)).isEqualTo(100_000_000_000L);
    }
}
