package dev.cwom.worker.executors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.model.FailureCategory;
import dev.cwom.worker.WorkerProperties;
import dev.cwom.worker.trace.TraceFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a run writes is bounded: its log, each output file, the total; and only its own files are published. */
class BoundedOutputTests {

    @TempDir
    Path temp;

    private ExecutionRequest request;
    private TraceFolder trace;

    @BeforeEach
    void letTheSandboxReachTheWorkFolder() throws IOException {
        SandboxSupport.searchable(temp);
    }

    @Test
    void yesIsStoppedAtTheLogCapAndTheRunFailsSayingSo() throws IOException {
        WorkerProperties.Shell settings = SandboxTests.shell(Map.of("max-log-bytes", "65536"));
        long start = System.nanoTime();

        ExecutionResult result = run(settings, new TestWorkOrder().commands("yes").allowed("yes").minutes(1));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertThat(result.failure().category()).isEqualTo(FailureCategory.POLICY);
        assertThat(result.failure().message()).contains("more than the 65536 bytes")
                .contains("cwom.worker.shell.max-log-bytes").contains("killed");
        assertThat(Files.size(trace.logFile())).isBetween(65536L, 65536L + 2048);
        assertThat(Files.readString(trace.path().resolve("events.jsonl"))).contains("log.truncated");
        assertThat(result.decisionLog()).anySatisfy(line -> assertThat(line).contains("trace.log truncated"));
    }

    @Test
    void anOutputFolderThroughASymlinkIsRefusedAndNothingIsPublished() throws IOException {
        ExecutionResult result = run(WorkerProperties.Shell.defaults(), new TestWorkOrder()
                .commands(List.of("sh", "-c", "rm -r o && ln -s / o")).packetMeta("output_dir", "o/etc")
                .allowed("sh"));

        assertThat(result.failure().category()).isEqualTo(FailureCategory.POLICY);
        assertThat(result.failure().message()).contains("passes through the symbolic link o");
        assertThat(result.outputs()).isEmpty();
        assertThat(trace.artifactsDir()).isEmptyDirectory();
    }

    @Test
    void linksInTheOutputFolderAreSkipped() throws IOException {
        ExecutionResult result = run(WorkerProperties.Shell.defaults(), new TestWorkOrder()
                .commands(List.of("sh", "-c", "ln -s /etc/passwd out/passwd && ln -s / out/root && echo ok > out/a.txt"))
                .allowed("sh"));

        assertThat(result.succeeded()).isTrue();
        assertThat(result.outputs()).extracting(ExecutionOutput::title).containsExactly("a.txt");
        assertThat(result.decisionLog()).anySatisfy(line -> assertThat(line).contains("passwd: a symbolic link"));
    }

    @Test
    void aHardLinkToAFileOutsideIsNotPublishedWhenRunningUnsandboxed() throws IOException {
        Path secret = Files.writeString(temp.resolve("secret.txt"), "the worker's secret");
        WorkerProperties.Shell settings = WorkerProperties.Shell.defaults()
                .withIsolation(WorkerProperties.Isolation.NONE, Path.of("/usr/bin/bwrap"));

        ExecutionResult result = run(settings, new TestWorkOrder().commands(List.of("ln", secret.toString(),
                "out/copy.txt")).allowed("ln"));

        assertThat(result.succeeded()).isTrue();
        assertThat(result.outputs()).isEmpty();
        assertThat(result.decisionLog()).anySatisfy(line -> assertThat(line).contains("copy.txt: has 2 hard links"));
    }

    @Test
    void aFileAboveTheFileCapKillsItsWriter() throws IOException {
        WorkerProperties.Shell settings = SandboxTests.shell(Map.of("max-output-file-bytes", "1000"));

        ExecutionResult result = run(settings, new TestWorkOrder()
                .commands(List.of("sh", "-c", "head -c 5000 /dev/zero > out/big.bin")).allowed("sh"));

        assertThat(result.failure().category()).isEqualTo(FailureCategory.BUILD);
        assertThat(result.failure().message()).contains("SIGXFSZ").contains("max-output-file-bytes");
    }

    @Test
    void outputsPastThePolicysMaxOutputBytesAreLeftOutAndTheRunFails() throws IOException {
        String runId = "01KRUN" + System.nanoTime();
        request = new TestWorkOrder().commands(List.of("sh", "-c",
                "head -c 600 /dev/zero > out/a.bin && head -c 600 /dev/zero > out/b.bin")).allowed("sh")
                .request(runId, temp.resolve("work")).withMaxOutputBytes(1000);
        trace = TraceFolder.create(temp.resolve("traces"), runId, Clock.systemUTC());

        ExecutionResult result = new ShellExecutor(WorkerProperties.Shell.defaults(), Duration.ofMinutes(1),
                Clock.systemUTC()).execute(request, trace);

        assertThat(result.failure().category()).isEqualTo(FailureCategory.POLICY);
        assertThat(result.failure().message()).contains("b.bin (600 bytes) would bring the outputs to 1200 bytes")
                .contains("max_output_bytes");
        assertThat(result.outputs()).extracting(ExecutionOutput::title).containsExactly("a.bin");
    }

    private ExecutionResult run(WorkerProperties.Shell settings, TestWorkOrder order) throws IOException {
        String runId = "01KRUN" + System.nanoTime();
        request = order.request(runId, temp.resolve("work"));
        trace = TraceFolder.create(temp.resolve("traces"), runId, Clock.systemUTC());
        return new ShellExecutor(settings, Duration.ofMinutes(1), Clock.systemUTC()).execute(request, trace);
    }
}
