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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the commands the ContextPackets give (see {@link ShellCommand}) one after another, without a shell, in the
 * run's fresh working directory with a scrubbed environment, under the ConstraintSnapshot: refused tools stop the run
 * before any process starts ({@code policy}); the time budget covers all commands and, when exceeded, kills the
 * running command's whole process tree ({@code runtime}); a non-zero exit stops the run (the command's failure
 * category, {@code build} by default). An interrupt (the worker shutting down, or the run's Issue canceled) kills
 * the running command's process tree the same way. Output goes to {@code trace.log}; files left in the output folder
 * become outputs. See docs/executors.md for what is and is not enforced.
 */
public final class ShellExecutor implements Executor {

    public static final String NAME = "shell";
    static final String META_OUTPUT_DIR = "output_dir";

    private final WorkerProperties.Shell settings;
    private final Duration defaultBudget;
    private final Clock clock;
    private final NetworkIsolator isolator;

    public ShellExecutor(WorkerProperties.Shell settings, Duration defaultBudget, Clock clock) {
        this.settings = settings;
        this.defaultBudget = defaultBudget;
        this.clock = clock;
        this.isolator = new NetworkIsolator(settings.path());
    }

    @Override
    public String name() {
        return NAME;
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
            Optional<Path> executable = NetworkIsolator.which(command.tool(), settings.path());
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
        List<String> prefix;
        try {
            Optional<List<String>> isolation = networkPrefix(permissions, decisions);
            if (isolation.isEmpty()) {
                return refuse(trace, decisions, FailureCategory.POLICY, "The network is denied ("
                        + permissions.networkReason() + ") and cwom.worker.shell.network-isolation is REQUIRED, but"
                        + " this host cannot isolate commands (unshare with user namespaces is unavailable); run it"
                        + " on a host that can, or allow the network");
            }
            prefix = isolation.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return refuse(trace, decisions, FailureCategory.RUNTIME, INTERRUPTED + " before the first command");
        }
        decisions.add(permissions.secretsAllowed()
                ? "secrets allowed by the constraints, but this worker has no secrets store: none were provided"
                : "no secrets: the environment is scrubbed to PATH, HOME, LANG, TMPDIR and CWOM_*");
        TimeBudget budget = TimeBudget.of(request.limits(), defaultBudget, clock.instant());
        decisions.add("time budget " + budget.source());
        return run(request, trace, commands, argvs, prefix, outputDir, budget, decisions);
    }

    private ExecutionResult run(ExecutionRequest request, TraceRecorder trace, List<ShellCommand> commands,
            List<List<String>> argvs, List<String> prefix, Path outputDir, TimeBudget budget,
            List<String> decisions) {
        Instant deadline = clock.instant().plus(budget.limit());
        Path tmp = request.workDir().resolve(".tmp");
        try {
            Files.createDirectories(outputDir);
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare working directory " + request.workDir(), e);
        }
        double computeSeconds = 0;
        Run.Failure failure = null;
        for (int i = 0; i < commands.size() && failure == null; i++) {
            ShellCommand command = commands.get(i);
            String label = "command " + (i + 1) + "/" + commands.size() + " `" + command.display() + "`";
            List<String> argv = new ArrayList<>(prefix);
            argv.addAll(argvs.get(i));
            ProcessBuilder builder = new ProcessBuilder(argv)
                    .directory(request.workDir().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(trace.logFile().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            Map<String, String> env = builder.environment();
            env.clear();
            env.put("PATH", settings.path());
            env.put("HOME", request.workDir().toString());
            env.put("LANG", settings.lang());
            env.put("TMPDIR", tmp.toString());
            env.put("CWOM_RUN_ID", request.runId());
            env.put("CWOM_OUTPUT_DIR", outputDir.toString());
            trace.log("$ " + command.display());
            Instant started = clock.instant();
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                failure = new Run.Failure(FailureCategory.DEPENDENCY, "Cannot start " + label + ": " + e.getMessage());
                break;
            }
            trace.event("command.started", Map.of("index", i + 1, "tool", command.tool(), "pid", process.pid()));
            try {
                Duration remaining = Duration.between(clock.instant(), deadline);
                boolean exited = !remaining.isNegative() && process.waitFor(remaining.toMillis(), TimeUnit.MILLISECONDS);
                Duration took = Duration.between(started, clock.instant());
                computeSeconds += took.toMillis() / 1000.0;
                if (!exited) {
                    int killed = ProcessTree.kill(process.toHandle(), settings.killWait());
                    String message = "Time budget of " + budget.source() + " exceeded: " + label
                            + " was still running after " + TimeBudget.format(took) + "; its process tree ("
                            + killed + " processes) was killed. Raise constraints.time.available_minutes or make"
                            + " the commands faster";
                    trace.event("command.killed", Map.of("index", i + 1, "processes", killed, "reason", "budget"));
                    trace.log("# " + message);
                    failure = new Run.Failure(FailureCategory.RUNTIME, message);
                } else {
                    int code = process.exitValue();
                    trace.event("command.exited", Map.of("index", i + 1, "exit_code", code,
                            "seconds", took.toMillis() / 1000.0));
                    trace.log("# exit " + code + " after " + TimeBudget.format(took));
                    if (code != 0) {
                        failure = new Run.Failure(command.onFailure(), label + " exited with code " + code
                                + " after " + TimeBudget.format(took) + "; its output is in trace.log");
                    }
                }
            } catch (InterruptedException e) {
                int killed = killQuietly(process);
                Thread.currentThread().interrupt();
                trace.event("command.killed", Map.of("index", i + 1, "processes", killed, "reason", "interrupted"));
                failure = new Run.Failure(FailureCategory.RUNTIME, INTERRUPTED + " while " + label
                        + " was running; its process tree (" + killed + " processes) was killed");
            }
        }
        List<ExecutionOutput> outputs = OutputFiles.collect(outputDir, trace.artifactsDir());
        trace.event("outputs.collected", Map.of("count", outputs.size(), "folder",
                request.workDir().relativize(outputDir).toString()));
        Run.Cost cost = new Run.Cost(null, null, computeSeconds);
        if (failure != null) {
            return ExecutionResult.failure(failure.category(), failure.message(), outputs, decisions, cost);
        }
        return ExecutionResult.success(outputs, "shell: ran " + commands.size() + " commands, " + outputs.size()
                + " outputs", decisions, cost);
    }

    private Optional<List<String>> networkPrefix(RunPermissions permissions, List<String> decisions)
            throws InterruptedException {
        if (permissions.networkAllowed()) {
            decisions.add("network allowed (" + permissions.networkReason() + ")");
            return Optional.of(List.of());
        }
        WorkerProperties.NetworkIsolation mode = settings.networkIsolation();
        if (mode == WorkerProperties.NetworkIsolation.OFF) {
            decisions.add("network denied (" + permissions.networkReason() + ") but NOT enforced:"
                    + " cwom.worker.shell.network-isolation is OFF");
            return Optional.of(List.of());
        }
        Optional<List<String>> prefix = isolator.prefix();
        if (prefix.isPresent()) {
            decisions.add("network denied (" + permissions.networkReason() + "): commands run in an empty network"
                    + " namespace");
            return prefix;
        }
        if (mode == WorkerProperties.NetworkIsolation.REQUIRED) {
            return Optional.empty();
        }
        decisions.add("network denied (" + permissions.networkReason() + ") but NOT enforced: this host cannot"
                + " create network namespaces");
        return Optional.of(List.of());
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

    /** Kills the tree as an exceeded budget does, waiting as long for it to be gone: none is left behind. */
    private int killQuietly(Process process) {
        try {
            return ProcessTree.kill(process.toHandle(), settings.killWait());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static ExecutionResult refuse(TraceRecorder trace, List<String> decisions, FailureCategory category,
            String message) {
        trace.event("shell.refused", Map.of("category", category.value(), "reason", message));
        trace.log("# refused: " + message);
        decisions.add(message);
        return ExecutionResult.refused(category, message, decisions);
    }
}
