package dev.cwom.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PeriodicTaskTests {

    @Test
    void aFailedRoundDoesNotEndTheScheduleAndStopEndsIt() {
        AtomicInteger rounds = new AtomicInteger();
        PeriodicTask task = new PeriodicTask("test-task", Duration.ofMillis(10), () -> {
            if (rounds.incrementAndGet() == 1) {
                throw new IllegalStateException("the first round fails");
            }
        });
        task.start();
        try {
            assertThat(task.isRunning()).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> rounds.get() >= 3);
        } finally {
            task.stop();
        }
        assertThat(task.isRunning()).isFalse();
        int stoppedAt = rounds.get();
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> rounds.get() <= stoppedAt + 1);
    }
}
