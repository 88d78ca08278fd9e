package dev.cwom.worker.executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.model.FailureCategory;
import dev.cwom.worker.WorkerProperties;
import dev.cwom.worker.trace.TraceFolder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands that try to get out of their sandbox, with real processes: each must end failed, with nothing leaked. */
class SandboxTests {

    @TempDir
    Path temp;

    private final String marker = "m" + System.nanoTime();
    private ExecutionRequest request;
    private TraceFolder trace;

    @BeforeEach
    void letTheSandboxReachTheWorkFolder() throws IOException {
        SandboxSupport.searchable(temp);
    }

    @Test
    void theWorkersEnvironmentAndProcessesAreOutOfReach() throws IOException {
        ExecutionResult result = run(WorkerProperties.Shell.defaults(), new TestWorkOrder().commands(List.of("sh", "-c",
                "cat /proc/1/environ /proc/$PPID/environ; for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline; echo;"
                        + " done")).allowed("sh"));

        assertThat(result.succeeded()).isTrue();
        String log = Files.readString(trace.logFile());
        List<String> leaked = new ArrayList<>();
        System.getenv().forEach((key, value) -> {
            if (!List.of("PATH", "LANG").contains(key) && value.length() > 3 && log.contains(key + "=" + value)) {
                leaked.add(key);
            }
        });
        assertThat(leaked).as("the test JVM's environment in trace.log").isEmpty();
        assertThat(log).doesNotContain("surefire").doesNotContain("java ");
    }

    @Test
    void writesOutsideTheWorkFolderFailAndLeaveNothing() throws IOException {
        Path otherRun = Files.createDirectories(temp.resolve("work/other-run"));
        for (String target : List.of("/root/" + marker, "/usr/" + marker, "/etc/" + marker, "../other-run/" + marker,
                "../../" + marker, temp.resolve(marker).toString())) {
            ExecutionResult result = run(WorkerProperties.Shell.defaults(), new TestWorkOrder()
                    .commands(List.of("sh", "-c", "echo escaped > " + target)).allowed("sh"));

            assertThat(result.failure().category()).as(target).isEqualTo(FailureCategory.BUILD);
        }
        ExecutionResult tmp = run(WorkerProperties.Shell.defaults(), new TestWorkOrder()
                .commands(List.of("sh", "-c", "echo private > /tmp/" + marker + " && cat /tmp/" + marker))
                .allowed("sh"));

        assertThat(tmp.succeeded()).as("the sandbox's /tmp is its own").isTrue();
        assertThat(Path.of("/tmp", marker)).doesNotExist();
        assertThat(Path.of("/root", marker)).doesNotExist();
        assertThat(Path.of("/usr", marker)).doesNotExist();
        assertThat(Path.of("/etc", marker)).doesNotExist();
        assertThat(otherRun.resolve(marker)).doesNotExist();
        assertThat(temp.resolve(marker)).doesNotExist();
    }

    @Test
    void aForkBombIsStoppedByTheProcessLimit() throws IOException {
        WorkerProperties.Shell settings = shell(Map.of("max-processes", "64"));
        long start = System.nanoTime();
        ExecutionResult result = run(settings, new TestWorkOrder().commands(List.of("sh", "-c",
                "i=0; while [ $i -lt 1000 ]; do sleep 30." + marker.substring(1, 6) + " & i=$((i+1)); done; wait"))
                .allowed("sh").minutes(1));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(result.failure().category()).isEqualTo(FailureCategory.BUILD);
        assertThat(result.failure().message()).contains("exited with code");
        assertThat(Files.readString(trace.logFile())).containsIgnoringCase("fork");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> SandboxSupport.processesWith("30." + marker.substring(1, 6)).isEmpty());
    }

    @Test
    void loopbackIsUnreachableWithTheNetworkDeniedAndReachableWithItAllowed() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            List<String> connect = List.of("bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + server.getLocalPort());

            ExecutionResult allowed = run(WorkerProperties.Shell.defaults(),
                    new TestWorkOrder().commands(connect).allowed("bash"));
            ExecutionResult denied = run(WorkerProperties.Shell.defaults(),
                    new TestWorkOrder().commands(connect).allowed("bash").offline());

            assertThat(allowed.succeeded()).as("control: reachable when the network is allowed").isTrue();
            assertThat(denied.failure().category()).isEqualTo(FailureCategory.BUILD);
            assertThat(denied.decisionLog()).anySatisfy(line -> assertThat(line).contains("network denied"));
        }
    }

    @Test
    void homeTmpdirAndTheOutputFolderWorkInsideTheSandbox() throws IOException {
        ExecutionResult result = run(WorkerProperties.Shell.defaults(), new TestWorkOrder().commands(List.of("sh", "-c",
                "echo t > \"$TMPDIR/t\" && echo h > \"$HOME/h\" && cat \"$TMPDIR/t\" > \"$CWOM_OUTPUT_DIR/t.txt\""))
                .allowed("sh"));

        assertThat(result.succeeded()).isTrue();
        assertThat(result.outputs()).extracting(ExecutionOutput::title).containsExactly("t.txt");
        assertThat(request.workDir().resolve("h")).hasContent("h");
    }

    @Test
    void withoutBubblewrapAShellRunIsRefusedWithPolicyNamingTheFix() throws IOException {
        WorkerProperties.Shell settings = WorkerProperties.Shell.defaults()
                .withIsolation(WorkerProperties.Isolation.SANDBOX, temp.resolve("no-bwrap"));

        ExecutionResult result = run(settings, new TestWorkOrder().commands("touch created").allowed("touch"));

        assertThat(result.failure().category()).isEqualTo(FailureCategory.POLICY);
        assertThat(result.failure().message()).contains("bubblewrap is not installed").contains("no-bwrap")
                .contains("apt-get install bubblewrap").contains("isolation=NONE");
        assertThat(request.workDir().resolve("created")).doesNotExist();
        assertThat(Files.readString(trace.path().resolve("events.jsonl"))).doesNotContain("command.started");
    }

    @Test
    void isolationNoneRunsUnsandboxedAndSaysSo() throws IOException {
        WorkerProperties.Shell settings = WorkerProperties.Shell.defaults()
                .withIsolation(WorkerProperties.Isolation.NONE, temp.resolve("no-bwrap"));
        ShellExecutor shell = new ShellExecutor(settings, Duration.ofMinutes(1), Clock.systemUTC());

        ExecutionResult result = run(settings, new TestWorkOrder().commands(List.of("sh", "-c",
                "echo h > \"$HOME/h\" && echo t > \"$TMPDIR/t\" && echo o > \"$CWOM_OUTPUT_DIR/o.txt\"")).allowed("sh"));

        assertThat(result.succeeded()).isTrue();
        assertThat(result.decisionLog()).anySatisfy(line -> assertThat(line).startsWith("NOT sandboxed"));
        assertThat(request.workDir().resolve("h")).hasContent("h");
        assertThat(request.workDir().resolve(".tmp/t")).hasContent("t");
        assertThat(result.outputs()).extracting(ExecutionOutput::title).containsExactly("o.txt");
        assertThat(new ShellIsolationHealth(settings, shell).health().getDetails())
                .containsEntry("isolation", "NONE").containsKey("warning");
    }

    @Test
    void healthSaysWhyShellRunsAreRefusedWithoutBubblewrap() {
        WorkerProperties.Shell settings = WorkerProperties.Shell.defaults()
                .withIsolation(WorkerProperties.Isolation.SANDBOX, temp.resolve("no-bwrap"));
        ShellExecutor shell = new ShellExecutor(settings, Duration.ofMinutes(1), Clock.systemUTC());

        assertThat(new ShellIsolationHealth(settings, shell).health().getDetails())
                .hasEntrySatisfying("shell_runs", value -> assertThat(value.toString()).startsWith("refused:"));
        assertThat(new ShellIsolationHealth(WorkerProperties.Shell.defaults(), new ShellExecutor(
                WorkerProperties.Shell.defaults(), Duration.ofMinutes(1), Clock.systemUTC())).health().getDetails())
                .hasEntrySatisfying("shell_runs", value -> assertThat(value.toString()).startsWith("sandboxed"));
    }

    /** Shell settings with some keys bound as an operator would write them. */
    static WorkerProperties.Shell shell(Map<String, String> values) {
        Map<String, String> prefixed = new java.util.HashMap<>();
        values.forEach((key, value) -> prefixed.put("cwom.worker.shell." + key, value));
        return new org.springframework.boot.context.properties.bind.Binder(
                new org.springframework.boot.context.properties.source.MapConfigurationPropertySource(prefixed))
                .bindOrCreate("cwom.worker", WorkerProperties.class).shell();
    }

    ExecutionResult run(WorkerProperties.Shell settings, TestWorkOrder order) throws IOException {
        String runId = "01KRUN" + System.nanoTime();
        request = order.request(runId, temp.resolve("work"));
        trace = TraceFolder.create(temp.resolve("traces"), runId, Clock.systemUTC());
        return new ShellExecutor(settings, Duration.ofMinutes(1), Clock.systemUTC()).execute(request, trace);
    }
}
