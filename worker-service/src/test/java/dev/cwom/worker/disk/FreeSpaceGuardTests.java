package dev.cwom.worker.disk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.worker.DiskSettings;
import dev.cwom.worker.WorkerProperties;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.unit.DataSize;

class FreeSpaceGuardTests {

    private static final long MB = 1L << 20;

    private final TestClock clock = new TestClock();
    private final FakeFreeSpace space = new FakeFreeSpace();

    @Test
    void pausesBelowTheLimitAndResumesOnlyOnceFreeSpaceIsTheMarginAboveIt() {
        FreeSpaceGuard guard = guard(new DiskSettings(null, null, DataSize.ofMegabytes(1024), 0.0,
                DataSize.ofMegabytes(512), Duration.ZERO));
        assertThat(guard.paused()).isFalse();

        space.set(1023 * MB);
        assertThat(guard.paused()).isTrue();
        space.set(1200 * MB);
        assertThat(guard.paused()).as("above the limit, but not by the margin").isTrue();
        space.set(1536 * MB);
        assertThat(guard.paused()).isFalse();
        space.set(1200 * MB);
        assertThat(guard.paused()).as("not paused: above the limit").isFalse();
    }

    @Test
    void theLargerOfTheTwoLimitsApplies() {
        // 5 % of 2 TB is 102 GB, far above 1 GB
        FreeSpaceGuard guard = guard(new DiskSettings(null, null, null, null, null, Duration.ZERO));
        space.set(50L << 30);
        assertThat(guard.paused()).isTrue();
        assertThat(guard.report().roots()).allSatisfy(root -> assertThat(root.limitBytes())
                .isEqualTo((long) (FakeFreeSpace.TOTAL * 0.05)));

        FreeSpaceGuard bytesOnly = guard(new DiskSettings(null, null, null, 0.0, null, Duration.ZERO));
        assertThat(bytesOnly.paused()).isFalse();
        space.set(MB);
        assertThat(bytesOnly.paused()).isTrue();
    }

    @Test
    void limitsOfZeroSwitchTheGuardOff() {
        FreeSpaceGuard guard = guard(new DiskSettings(null, null, DataSize.ofBytes(0), 0.0, null,
                Duration.ZERO));
        space.set(0);
        assertThat(guard.paused()).isFalse();
    }

    @Test
    void measuresAtMostOncePerCheckInterval() {
        AtomicInteger measured = new AtomicInteger();
        FreeSpace counting = path -> {
            measured.incrementAndGet();
            return space.of(path);
        };
        FreeSpaceGuard guard = new FreeSpaceGuard(properties(new DiskSettings(null, null, null, null, null,
                Duration.ofSeconds(1))), counting, clock);

        guard.paused();
        space.fill();
        assertThat(guard.paused()).as("not measured again yet").isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(guard.paused()).isTrue();
        assertThat(measured).hasValue(4); // two roots, twice
    }

    @Test
    void aRootThatCannotBeMeasuredDoesNotHoldPickUpAndSaysWhy() {
        FreeSpaceGuard guard = new FreeSpaceGuard(properties(new DiskSettings(null, null, null, null, null,
                Duration.ZERO)), path -> {
                    throw new IOException("no such file system");
                }, clock);

        assertThat(guard.paused()).isFalse();
        assertThat(guard.report().roots()).allSatisfy(root -> assertThat(root.error()).contains("no such file"));
    }

    @Test
    void healthIsOutOfServiceWithThePathsFreeSpaceAndLimitsWhilePausedAndUpAgainOnceSpaceIsBack() {
        FreeSpaceGuard guard = guard(new DiskSettings(null, null, null, 0.0, null, Duration.ZERO));
        FreeSpaceHealth health = new FreeSpaceHealth(guard);
        space.fill();

        Health out = health.health();
        assertThat(out.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat((String) out.getDetails().get("reason")).contains("pick-up is paused")
                .contains("cwom.worker.trace-root");
        // The roots are absolute from the settings on (WorkerProperties).
        String traces = Path.of("traces").toAbsolutePath().normalize().toString();
        assertThat(out.getDetails().get("trace-root")).isEqualTo(Map.of("path", traces,
                "free_bytes", MB, "total_bytes", FakeFreeSpace.TOTAL, "threshold_bytes", 1L << 30, "low", true));
        assertThat(out.getDetails()).containsKey("work-root");

        space.free();
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void aRootThatDoesNotExistYetIsMeasuredWhereItWillBeCreated(@org.junit.jupiter.api.io.TempDir Path temp)
            throws IOException {
        FreeSpace.Space found = FreeSpace.fileStores().of(temp.resolve("not/yet/there"));

        assertThat(found.totalBytes()).isPositive();
        assertThat(found.usableBytes()).isBetween(0L, found.totalBytes());
    }

    private FreeSpaceGuard guard(DiskSettings disk) {
        return new FreeSpaceGuard(properties(disk), space, clock);
    }

    private static WorkerProperties properties(DiskSettings disk) {
        return new WorkerProperties("worker-1", Path.of("traces"), Path.of("work"), null, null, null, null, null,
                null, null, null, disk);
    }
}
