package dev.cwom.worker.executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.model.ArtifactType;
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
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellExecutorTests {

    @TempDir
    Path temp;

    private final ShellExecutor shell = new ShellExecutor(WorkerProperties.defaults().shell(), Duration.ofMinutes(1),
            Clock.systemUTC());
    private volatile ExecutionRequest request;
    private volatile TraceFolder trace;

    @BeforeEach
    void letTheSandboxReachTheWorkFolder() throws IOException {
        SandboxSupport.searchable(temp);
    }

    @Test
    void aBlockedToolFailsWithPolicyBeforeAnyCommandStarts() throws IOException {
        ExecutionResult result = run(new TestWorkOrder()
                .commands("touch first-command-ran", "rm -f something")
                .tools(List.of("touch", "rm"), List.of("rm")));

        assertThat(result.failure().category()).isEqualTo(FailureCategory.POLICY);
        assertThat(result.failure().message()).contains("'rm' is blocked");
        assertThat(request.workDir().resolve("first-command-ran")).doesNotExist();
        assertThat(Files.readString(trace.path().resolve("events.jsonl"))).doesNotContain("command.started")
                .contains("shell.refused");
    }

    @Test
    void aToolOutsideTheAllowListIsRefused() throws IOException {
        ExecutionResult result = run(new TestWorkOrder().commands("touch created").allowed("sleep"));

        assertThat(result.failure().category()).isEqualTo(FailureCategory.POLICY);
        assertThat(result.failure().message()).contains("'touch' is not allowed by constraints.tools.allowed [sleep]");
        assertThat(request.workDir().resolve("created")).doesNotExist();
    }

    @Test
    void theReposAllowedToolsNarrowTheSnapshotsAllowList() throws IOException {
        ExecutionResult result = run(new TestWorkOrder().commands("touch created").allowed("touch", "sleep")
                .repoAllowedTools("sleep"));

        assertThat(result.failure().category()).isEqualTo(FailureCategory.POLICY);
        assertThat(result.failure().message()).contains("'touch'").contains("policy.allowed_tools [sleep]");
        assertThat(request.workDir().resolve("created")).doesNotExist();
    }

    @Test
    void withoutAnyAllowListNothingRuns() throws IOException {
        ExecutionResult result = run(new TestWorkOrder().commands("touch created"));

        assertThat(result.failure().category()).isEqualTo(FailureCategory.POLICY);
        assertThat(result.failure().message()).contains("neither constraints.tools.allowed nor the Repo's");
        assertThat(request.workDir().resolve("created")).doesNotExist();
    }

    @Test
    void aToolGivenAsAPathIsRefusedSoItCannotPassForAnAllowedName() throws IOException {
        ExecutionResult result = run(new TestWorkOrder().commands("/usr/bin/touch created").allowed("touch"));

        assertThat(result.failure().category()).isEqualTo(FailureCategory.POLICY);
        assertThat(result.failure().message()).contains("'/usr/bin/touch' is a path");
        assertThat(request.workDir().resolve("created")).doesNotExist();
    }

    @Test
    void shellSyntaxIsRefusedWithPolicy() throws IOException {
        ExecutionResult result = run(new TestWorkOrder().commands("touch a; touch b").allowed("touch"));

        assertThat(result.failure().category()).isEqualTo(FailureCategory.POLICY);
        assertThat(result.failure().message()).contains("shell syntax (';')");
    }

    @Test
    void withoutCommandsTheRunIsRefusedWithAHint() throws IOException {
        ExecutionResult result = run(new TestWorkOrder().allowed("touch"));

        assertThat(result.failure().category()).isEqualTo(FailureCategory.POLICY);
        assertThat(result.failure().message()).contains("meta.commands").contains("'noop'");
    }

    @Test
    void aBudgetOfFiveHundredthsOfAMinuteStopsSleepWithinSeconds() throws IOException {
        long start = System.nanoTime();
        ExecutionResult result = run(new TestWorkOrder().commands("sleep 60").allowed("sleep").minutes(0.05));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isLessThan(Duration.ofSeconds(20));
        assertThat(result.failure().category()).isEqualTo(FailureCategory.RUNTIME);
        assertThat(result.failure().message()).contains("Time budget of 0.05 min (3.0 s)").contains("exceeded")
                .contains("`sleep 60`").contains("killed");
    }

    @Test
    void anExceededBudgetKillsTheWholeProcessTree() throws IOException {
        String marker = "60." + System.nanoTime() % 1_000_000; // a sleep argument no other process has
        long start = System.nanoTime();
        ExecutionResult result = run(new TestWorkOrder()
                .commands(List.of("sh", "-c", "sleep " + marker + " & sleep " + marker))
                .allowed("sh").minutes(0.05));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isLessThan(Duration.ofSeconds(20));
        assertThat(result.failure().category()).isEqualTo(FailureCategory.RUNTIME);
        assertThat(result.failure().message()).containsPattern("tree \\(\\d+ processes\\) was killed");
        await().atMost(Duration.ofSeconds(5)).until(() -> SandboxSupport.processesWith(marker).isEmpty());
    }

    @Test
    void anInterruptAtShutdownKillsTheRunningCommandAndFailsWithRuntime() throws Exception {
        TestWorkOrder order = new TestWorkOrder().commands("sleep 60").allowed("sleep").minutes(10);
        AtomicReference<ExecutionResult> result = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread worker = new Thread(() -> {
            try {
                result.set(run(order));
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        worker.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> trace != null
                && Files.readString(trace.path().resolve("events.jsonl")).contains("command.started"));

        worker.interrupt();
        worker.join(Duration.ofSeconds(20));

        assertThat(worker.isAlive()).isFalse();
        assertThat(result.get().failure().category()).isEqualTo(FailureCategory.RUNTIME);
        assertThat(result.get().failure().message()).contains("Interrupted").contains("`sleep 60`");
        assertThat(stillInterrupted).as("the interrupt flag is set again for the caller").isTrue();
    }

    @Test
    void filesLeftInTheOutputFolderBecomeArtifacts() throws IOException {
        ExecutionResult result = run(new TestWorkOrder()
                .commands(List.of("sh", "-c", "mkdir -p out/sub && printf hello > out/notes.txt"
                        + " && printf '{}' > out/sub/data.json && printf x > elsewhere.txt"))
                .allowed("sh"));

        assertThat(result.succeeded()).isTrue();
        assertThat(result.outputs()).extracting(ExecutionOutput::title).containsExactly("notes.txt", "sub/data.json");
        assertThat(result.outputs()).extracting(ExecutionOutput::mediaType)
                .containsExactly("text/plain", "application/json");
        assertThat(result.outputs()).extracting(ExecutionOutput::type)
                .containsExactly(ArtifactType.DOC, ArtifactType.REPORT);
        ExecutionOutput notes = result.outputs().getFirst();
        assertThat(notes.file()).startsWith(trace.artifactsDir());
        assertThat(Files.readString(notes.file())).isEqualTo("hello");
    }

    @Test
    void theOutputFolderCanBeNamedByTheContextPacket() throws IOException {
        ExecutionResult result = run(new TestWorkOrder()
                .commands(List.of("sh", "-c", "mkdir -p dist && printf 1 > dist/app.jar"))
                .packetMeta("output_dir", "dist").allowed("sh"));

        assertThat(result.outputs()).extracting(ExecutionOutput::title).containsExactly("app.jar");
    }

    @Test
    void commandsSeeAScrubbedEnvironmentOnly() throws IOException {
        ExecutionResult result = run(new TestWorkOrder().commands("env").allowed("env"));

        assertThat(result.succeeded()).isTrue();
        Map<String, String> env = Files.readAllLines(trace.logFile()).stream()
                .filter(line -> line.matches("[A-Z_]+=.*"))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1)));
        // PWD is bubblewrap's: it sets it to the working directory it changes to.
        assertThat(env.keySet()).isEqualTo(Set.of("PATH", "HOME", "LANG", "TMPDIR", "CWOM_RUN_ID", "CWOM_OUTPUT_DIR",
                "PWD"));
        assertThat(env).containsEntry("HOME", "/work").containsEntry("PWD", "/work").containsEntry("TMPDIR", "/tmp")
                .containsEntry("CWOM_OUTPUT_DIR", "/work/out").containsEntry("CWOM_RUN_ID", request.runId());
    }

    @Test
    void aFailingCommandStopsTheRunWithItsCategory() throws IOException {
        ExecutionResult build = run(new TestWorkOrder().commands("false", "touch after").allowed("false", "touch"));

        assertThat(build.failure().category()).isEqualTo(FailureCategory.BUILD);
        assertThat(build.failure().message()).contains("command 1/2 `false` exited with code 1");
        assertThat(request.workDir().resolve("after")).doesNotExist();

        ExecutionResult test = run(new TestWorkOrder()
                .commands(Map.of("run", "false", "failure_category", "test")).allowed("false"));

        assertThat(test.failure().category()).isEqualTo(FailureCategory.TEST);
    }

    private ExecutionResult run(TestWorkOrder order) throws IOException {
        String runId = "01KRUN" + System.nanoTime();
        request = order.request(runId, temp.resolve("work"));
        trace = TraceFolder.create(temp.resolve("traces"), runId, Clock.systemUTC());
        return shell.execute(request, trace);
    }
}
