package dev.cwom.localstack.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFsTests {

    @TempDir
    Path proc;

    @Test
    void statFieldsAreCountedFromTheLastParenthesisSoACommandWithSpacesAndParenthesesParses() {
        ProcFs.Stat stat = ProcFs.parseStat(stat(4242, "postgres: cwom (idle) x", 17, 1200, 300, 40, 5));

        assertThat(stat).isEqualTo(new ProcFs.Stat(4242, 17, 1200, 300, 40, 5));
        assertThat(stat.cpuTicks()).isEqualTo(1545);
    }

    @Test
    void aRealStatLineOfThisKernelParses() throws IOException {
        ProcFs.Stat self = ProcFs.parseStat(Files.readString(Path.of("/proc/self/stat")));

        assertThat(self.pid()).isPositive();
        assertThat(self.ppid()).isPositive();
        assertThat(self.cpuTicks()).isNotNegative();
    }

    @Test
    void aTruncatedStatLineIsRefused() {
        assertThatThrownBy(() -> ProcFs.parseStat("12 (java) S 1 2 3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too few fields");
        assertThatThrownBy(() -> ProcFs.parseStat("garbage")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void statusGivesRssPeakAndSharedMemoryInKilobytes() {
        ProcFs.Memory memory = ProcFs.parseStatus(status(262_144, 300_000, 1_024));

        assertThat(memory).isEqualTo(new ProcFs.Memory(262_144, 300_000, 1_024));
        assertThat(ProcFs.parseStatus("Name:\tkthreadd\nState:\tS (sleeping)\n"))
                .isEqualTo(new ProcFs.Memory(0, 0, 0));
    }

    @Test
    void aTreeSumsTheCpuOfItsDescendantsAndCountsTheirSharedMemoryOnce() throws IOException {
        // postmaster 100 -> backends 101, 102; 102 -> 103 (a parallel worker); 200 is unrelated
        process(100, 1, 1000, 0, 40, 20, 100_000, 120_000, 60_000);
        process(101, 100, 10, 5, 0, 0, 70_000, 70_000, 60_000);
        process(102, 100, 20, 10, 0, 0, 65_000, 66_000, 60_000);
        process(103, 102, 1, 1, 0, 0, 62_000, 62_000, 60_000);
        process(200, 1, 5000, 5000, 0, 0, 500_000, 500_000, 0);
        ProcFs fs = new ProcFs(proc);
        Map<Long, ProcFs.Stat> stats = fs.stats();

        assertThat(ProcFs.descendantsOf(100, stats)).containsExactlyInAnyOrder(101L, 102L, 103L);
        assertThat(fs.tree(100, true, stats)).isEqualTo(new ProcFs.TreeUsage(4,
                1000 + 40 + 20 + 15 + 30 + 2,
                100_000 + 10_000 + 5_000 + 2_000,
                120_000 + 10_000 + 5_000 + 2_000));
        assertThat(fs.tree(100, false, stats)).isEqualTo(new ProcFs.TreeUsage(1, 1060, 100_000, 120_000));
        assertThat(fs.tree(999, true, stats)).as("a process that is gone").isNull();
    }

    @Test
    void theMeterTurnsTicksIntoMillisecondsAndDifferencesOfSnapshotsIntoWhatWasSpent() throws IOException {
        process(100, 1, 100, 50, 0, 0, 2048, 4096, 0);
        ProcessMeter meter = new ProcessMeter(new ProcFs(proc), List.of(
                new ProcessMeter.Watched("ingest-service", 100, true),
                new ProcessMeter.Watched("worker-service #1", 300, true)), 100);

        Map<String, ProcessMeter.Usage> before = meter.snapshot();
        process(100, 1, 160, 70, 0, 0, 3072, 4096, 0);
        Map<String, ProcessMeter.Usage> after = meter.snapshot();

        assertThat(before.get("ingest-service")).isEqualTo(new ProcessMeter.Usage(1500, 2048, 4096, 1));
        assertThat(before.get("worker-service #1")).isEqualTo(ProcessMeter.Usage.GONE);
        assertThat(ProcessMeter.cpuMsBetween(before, after))
                .containsEntry("ingest-service", 800.0).containsEntry("worker-service #1", -1.0);
        assertThat(ProcessMeter.higherPeaks(Map.of("ingest-service", 5000L), after))
                .containsEntry("ingest-service", 5000L).containsEntry("worker-service #1", -1L);
    }

    private void process(long pid, long ppid, long utime, long stime, long cutime, long cstime, long rssKb,
            long peakKb, long sharedKb) throws IOException {
        Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.writeString(dir.resolve("stat"), stat(pid, "java", ppid, utime, stime, cutime, cstime));
        Files.writeString(dir.resolve("status"), status(rssKb, peakKb, sharedKb));
    }

    private static String stat(long pid, String command, long ppid, long utime, long stime, long cutime,
            long cstime) {
        // fields 1-17 as proc(5) lists them, then the rest of a real line
        return pid + " (" + command + ") S " + ppid + " " + pid + " " + pid + " 0 -1 4194304 100 0 0 0 " + utime
                + " " + stime + " " + cutime + " " + cstime + " 20 0 40 0 12345 3000000000 50000 "
                + "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
    }

    private static String status(long rssKb, long peakKb, long sharedKb) {
        return "Name:\tjava\nVmPeak:\t 4000000 kB\nVmHWM:\t  " + peakKb + " kB\nVmRSS:\t  " + rssKb
                + " kB\nRssAnon:\t  1000 kB\nRssFile:\t  1000 kB\nRssShmem:\t  " + sharedKb + " kB\nThreads:\t40\n";
    }
}
