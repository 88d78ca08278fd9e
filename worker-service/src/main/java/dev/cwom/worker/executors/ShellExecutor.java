package dev.cwom.worker.executors;

import dev.cwom.model.ContextPacket;
import dev.cwom.model.FailureCategory;
import dev.cwom.model.Run;
import dev.cwom.worker.WorkerProperties;
import dev.cwom.worker.trace.TraceRecorder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the commands the ContextPackets give (see {@link ShellCommand}) one after another, without a shell, each in a
 * {@link BubblewrapSandbox} of its own over the run's fresh working directory (unless {@code isolation} is
 * {@code NONE}), with exactly the documented environment, under the ConstraintSnapshot: refused tools stop the run
 * before any process starts ({@code policy}); so does a missing sandbox. The time budget covers all commands and,
 * when exceeded, kills the running command's whole process tree ({@code runtime}); so does output past
 * {@code max-log-bytes} ({@code policy}); a non-zero exit stops the run (the command's failure category,
 * {@code build} by default). An interrupt (the worker shutting down, or the run's Issue canceled) kills the running
 * command's process tree the same way. Files left in the output folder become outputs, within their caps. See
 * docs/executors.md for what is and is not enforced.
 */
public final class ShellExecutor implements Executor {

    public static final String NAME = "shell";
    static final String META_OUTPUT_DIR = "output_dir";

    private final WorkerProperties.Shell settings;
    private final Duration defaultBudget;
    private final Clock clock;
    private final BubblewrapSandbox sandbox;
    private final CommandRunner runner;

    public ShellExecutor(WorkerProperties.Shell settings, Duration defaultBudget, Clock clock) {
        this.settings = settings;
        this.defaultBudget = defaultBudget;
        this.clock = clock;
        this.sandbox = new BubblewrapSandbox(settings);
        this.runner = new CommandRunner(clock, settings.killWait());
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Why this worker cannot sandbox shell runs, or empty when it can or is set not to ({@code NONE}). */
    public Optional<String> sandboxUnavailable() throws InterruptedException {
        return settings.isolation() == WorkerProperties.Isolation.NONE ? Optional.empty() : sandbox.unavailable();
    }

    @Override
    public ExecutionResult execute(ExecutionRequest request, TraceRecorder trace) {
        List<String> decisions = new ArrayList<>();
        List<ContextPacket> packets = request.contextPackets().stream().map(Pinned::value).toList();
        List<ShellCommand> commands;
        Path outputDir;
        try {
            commands = ShellCommand.from(packets);
            outputDir = outputDir(request.workDir(), packets);
        } catch (ShellCommand.InvalidCommandException e) {
            return refuse(trace, decisions, FailureCategory.POLICY, e.getMessage());
        }
        if (commands.isEmpty()) {
            return refuse(trace, decisions, FailureCategory.POLICY, "No commands to run: none of the run's "
                    + packets.size() + " ContextPackets has meta.commands; add them, or choose executor 'noop'"
                    + " (Issue meta.executor) for work that runs elsewhere");
        }
        ToolPolicy tools = ToolPolicy.of(request.limits(), request.repo().value(), settings.defaultAllowedTools(),
                settings.blockedTools());
        decisions.add(tools.describe());
        Optional<String> refusal = tools.refusal(commands);
        if (refusal.isPresent()) {
            return refuse(trace, decisions, FailureCategory.POLICY, refusal.get());
        }
        List<List<String>> argvs = new ArrayList<>();
        for (ShellCommand command : commands) {
            Optional<Path> executable = Executables.which(command.tool(), settings.path());
            if (executable.isEmpty()) {
                return refuse(trace, decisions, FailureCategory.DEPENDENCY, "Tool '" + command.tool()
                        + "' is allowed but not installed on the worker's PATH " + settings.path()
                        + "; install it or set cwom.worker.shell.path");
            }
            List<String> argv = new ArrayList<>(command.argv());
            argv.set(0, executable.get().toString());
            argvs.add(argv);
        }
        RunPermissions permissions = RunPermissions.of(request.constraints() == null ? null
                : request.constraints().value(), request.limits());
        boolean sandboxed = settings.isolation() == WorkerProperties.Isolation.SANDBOX;
        if (sandboxed) {
            try {
                Optional<String> unavailable = sandbox.unavailable();
                if (unavailable.isPresent()) {
                    return refuse(trace, decisions, FailureCategory.POLICY, "No sandbox for shell commands on this"
                            + " worker: " + unavailable.get() + ". Shell runs are refused rather than run"
                            + " unsandboxed; for development only, cwom.worker.shell.isolation=NONE runs them as the"
                            + " worker's own user");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return refuse(trace, decisions, FailureCategory.RUNTIME, CommandRunner.INTERRUPTED
                        + " before the first command");
            }
        }
        TimeBudget budget = TimeBudget.of(request.limits(), defaultBudget, clock.instant());
        SandboxLimits limits = SandboxLimits.of(settings, budget.limit());
        decisions.add(sandboxed
                ? "sandboxed (bubblewrap): uid " + BubblewrapSandbox.INSIDE_ID + ", own PID and mount namespaces,"
                        + " read-only system, only the work folder writable; network "
                        + (permissions.networkAllowed() ? "allowed (" : "denied, no interfaces (")
                        + permissions.networkReason() + "); " + limits.describe()
                : "NOT sandboxed: cwom.worker.shell.isolation is NONE, commands run as the worker's user and see its"
                        + " files; network " + (permissions.networkAllowed() ? "allowed" : "denied but NOT enforced")
                        + " (" + permissions.networkReason() + "); no resource limits but the time budget and the log"
                        + " cap");
        decisions.add(permissions.secretsAllowed()
                ? "secrets allowed by the constraints, but this worker has no secrets store: none were provided"
                : "no secrets: the environment is exactly PATH, HOME, LANG, TMPDIR and CWOM_*");
        decisions.add("time budget " + budget.source());
        try {
            Files.createDirectories(outputDir);
            if (!sandboxed) {
                Files.createDirectories(request.workDir().resolve(".tmp")); // the sandbox has a /tmp of its own
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare working directory " + request.workDir(), e);
        }
        if (sandboxed) {
            Optional<String> unusable = sandbox.prepare(request.workDir());
            if (unusable.isPresent()) {
                return refuse(trace, decisions, FailureCategory.POLICY, unusable.get());
            }
        }
        return run(request, trace, commands, argvs, outputDir, budget, limits, permissions, decisions);
    }

    private ExecutionResult run(ExecutionRequest request, TraceRecorder trace, List<ShellCommand> commands,
            List<List<String>> argvs, Path outputDir, TimeBudget budget, SandboxLimits limits,
            RunPermissions permissions, List<String> decisions) {
        Instant deadline = clock.instant().plus(budget.limit());
        BoundedOutput output = new BoundedOutput(trace.logFile(), settings.maxLogBytes());
        boolean sandboxed = settings.isolation() == WorkerProperties.Isolation.SANDBOX;
        Map<String, String> env = environment(request, outputDir, sandboxed);
        double computeSeconds = 0;
        Run.Failure failure = null;
        for (int i = 0; i < commands.size() && failure == null; i++) {
            ShellCommand command = commands.get(i);
            String label = "command " + (i + 1) + "/" + commands.size() + " `" + command.display() + "`";
            CommandRunner.Outcome outcome = sandboxed
                    ? runner.run(i + 1, label, command, sandbox.command(request.workDir(),
                            permissions.networkAllowed(), limits, env, argvs.get(i)),
                            BubblewrapSandbox.launcherEnvironment(), request.workDir(), deadline, budget, output, trace)
                    : runner.run(i + 1, label, command, argvs.get(i), env, request.workDir(), deadline, budget, output,
                            trace);
            computeSeconds += outcome.seconds();
            failure = outcome.failure();
        }
        if (output.written() >= output.cap()) {
            decisions.add("trace.log truncated at " + output.cap() + " bytes (cwom.worker.shell.max-log-bytes)");
        }
        OutputFiles.Collected collected = OutputFiles.collect(request.workDir(), outputDir, trace.artifactsDir(),
                caps(request));
        trace.event("outputs.collected", Map.of("count", collected.outputs().size(), "skipped",
                collected.skipped().size(), "folder", request.workDir().relativize(outputDir).toString()));
        collected.skipped().forEach(line -> decisions.add("output " + line));
        if (failure == null && collected.refusal() != null) {
            trace.log("# " + collected.refusal());
            failure = new Run.Failure(FailureCategory.POLICY, collected.refusal());
        }
        Run.Cost cost = new Run.Cost(null, null, computeSeconds);
        if (failure != null) {
            return ExecutionResult.failure(failure.category(), failure.message(), collected.outputs(), decisions,
                    cost);
        }
        return ExecutionResult.success(collected.outputs(), "shell: ran " + commands.size() + " commands, "
                + collected.outputs().size() + " outputs", decisions, cost);
    }

    /** Exactly the documented variables; paths as the command sees them (inside the sandbox, or the host's). */
    private Map<String, String> environment(ExecutionRequest request, Path outputDir, boolean sandboxed) {
        Path workDir = request.workDir();
        String home = sandboxed ? BubblewrapSandbox.WORK : workDir.toString();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", settings.path());
        env.put("HOME", home);
        env.put("LANG", settings.lang());
        env.put("TMPDIR", sandboxed ? "/tmp" : workDir.resolve(".tmp").toString());
        env.put("CWOM_RUN_ID", request.runId());
        env.put("CWOM_OUTPUT_DIR", home + "/" + workDir.relativize(outputDir));
        return env;
    }

    private OutputFiles.Caps caps(ExecutionRequest request) {
        long total = settings.maxOutputBytes();
        String totalSource = "cwom.worker.shell.max-output-bytes";
        if (request.maxOutputBytes() != null && request.maxOutputBytes() < total) {
            total = request.maxOutputBytes();
            totalSource = "max_output_bytes (the operator policy's or the worker's ceiling)";
        }
        return new OutputFiles.Caps(settings.maxOutputFileBytes(), "cwom.worker.shell.max-output-file-bytes", total,
                totalSource);
    }

    private Path outputDir(Path workDir, List<ContextPacket> packets) {
        String name = settings.outputDir();
        for (ContextPacket packet : packets) {
            Object value = packet.meta().get(META_OUTPUT_DIR);
            if (value != null) {
                name = value.toString();
            }
        }
        Path dir = workDir.resolve(name).normalize();
        if (Path.of(name).isAbsolute() || !dir.startsWith(workDir) || dir.equals(workDir)) {
            throw new ShellCommand.InvalidCommandException("Output folder '" + name + "' (meta." + META_OUTPUT_DIR
                    + ") must be a sub-folder of the working directory, e.g. 'out'");
        }
        return dir;
    }

    private static ExecutionResult refuse(TraceRecorder trace, List<String> decisions, FailureCategory category,
            String message) {
        trace.event("shell.refused", Map.of("category", category.value(), "reason", message));
        trace.log("# refused: " + message);
        decisions.add(message);
        return ExecutionResult.refused(category, message, decisions);
    }
}
