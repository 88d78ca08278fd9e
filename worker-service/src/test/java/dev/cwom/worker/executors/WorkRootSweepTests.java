package dev.cwom.worker.executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkRootSweepTests {

    @TempDir
    Path temp;

    @Test
    void killsWhatAPreviousInstanceLeftRunningAndDeletesItsWorkFolders() throws IOException {
        Path workRoot = temp.resolve("work");
        Path leftover = Files.createDirectories(workRoot.resolve("01KLEFTOVER"));
        Files.writeString(leftover.resolve("half-done.txt"), "x");
        Path notARun = Files.createDirectories(workRoot.resolve("someone-elses"));
        String marker = "61." + System.nanoTime() % 1_000_000;
        Process stray = new ProcessBuilder("sleep", marker).directory(leftover.toFile()).start();

        try (WorkRootSweep sweep = WorkRootSweep.sweep(workRoot)) {
            assertThat(sweep.killed()).isEqualTo(1);
            assertThat(sweep.deleted()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> !stray.isAlive());
            assertThat(SandboxSupport.processesWith(marker)).isEmpty();
            assertThat(leftover).doesNotExist();
            assertThat(notARun).as("only folders named like run ids are swept").exists();

            Files.createDirectories(workRoot.resolve("01KRUNNING"));
            try (WorkRootSweep second = WorkRootSweep.sweep(workRoot)) {
                assertThat(second.deleted()).as("a live worker holds the work root: nothing swept").isZero();
                assertThat(workRoot.resolve("01KRUNNING")).exists();
            }
        }
    }
}
