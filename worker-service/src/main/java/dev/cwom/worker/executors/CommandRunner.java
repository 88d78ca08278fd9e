package dev.cwom.worker.executors;

import dev.cwom.model.FailureCategory;
import dev.cwom.model.Run;
import dev.cwom.worker.trace.TraceRecorder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Runs one command of a shell run to its end: starts it (stdin {@code /dev/null}, stdout and stderr through the run's
 * {@link BoundedOutput} into {@code trace.log}), and waits for whichever comes first: its exit, the output cap, the
 * run's deadline or an interrupt. In the three last cases its process tree is killed. The process must be started by
 * a thread that outlives it: {@code --die-with-parent} kills the sandbox when the thread that started it ends.
 */
final class CommandRunner {

    static final String INTERRUPTED = "Interrupted (the worker is shutting down or the run was canceled)";

    private final Clock clock;
    private final Duration killWait;

    CommandRunner(Clock clock, Duration killWait) {
        this.clock = clock;
        this.killWait = killWait;
    }

    /**
     * What became of a command.
     *
     * @param failure why the run fails because of it; absent when it exited 0
     * @param seconds how long it ran
     */
    record Outcome(Run.@Nullable Failure failure, double seconds) {
    }

    /**
     * @param index the command's number (1-based), for the trace
     * @param label "command 1/2 `make test`", for messages
     * @param commandLine what to start (the sandbox's command line, or the command itself)
     * @param environment the started process's whole environment
     */
    Outcome run(int index, String label, ShellCommand command, List<String> commandLine,
            Map<String, String> environment, Path directory, Instant deadline, TimeBudget budget,
            BoundedOutput output, TraceRecorder trace) {
        ProcessBuilder builder = new ProcessBuilder(commandLine)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().clear();
        builder.environment().putAll(environment);
        trace.log("$ " + command.display());
        Instant started = clock.instant();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new Outcome(new Run.Failure(FailureCategory.DEPENDENCY, "Cannot start " + label + ": "
                    + e.getMessage()), 0);
        }
        trace.event("command.started", Map.of("index", index, "tool", command.tool(), "pid", process.pid()));
        BoundedOutput.Pump pump = output.pump(process.getInputStream(), "cwom-output-" + process.pid());
        try {
            Duration remaining = Duration.between(clock.instant(), deadline);
            boolean ended = waitFor(process, pump, remaining);
            double seconds = Duration.between(started, clock.instant()).toMillis() / 1000.0;
            Duration took = Duration.between(started, clock.instant());
            if (pump.overflow().isDone()) {
                int killed = ProcessTree.kill(process.toHandle(), killWait);
                pump.finish(killWait);
                String message = label + " wrote more than the " + output.cap() + " bytes of output a run may"
                        + " write to trace.log (cwom.worker.shell.max-log-bytes); the log was truncated there and"
                        + " its process tree (" + killed + " processes) was killed. Make the commands quieter, or"
                        + " raise cwom.worker.shell.max-log-bytes";
                trace.event("log.truncated", Map.of("index", index, "bytes", output.written(), "cap", output.cap()));
                trace.event("command.killed", Map.of("index", index, "processes", killed, "reason", "output"));
                trace.log("\n# " + message);
                return new Outcome(new Run.Failure(FailureCategory.POLICY, message), seconds);
            }
            if (!ended) {
                int killed = ProcessTree.kill(process.toHandle(), killWait);
                pump.finish(killWait);
                String message = "Time budget of " + budget.source() + " exceeded: " + label
                        + " was still running after " + TimeBudget.format(took) + "; its process tree ("
                        + killed + " processes) was killed. Raise constraints.time.available_minutes or make"
                        + " the commands faster";
                trace.event("command.killed", Map.of("index", index, "processes", killed, "reason", "budget"));
                trace.log("# " + message);
                return new Outcome(new Run.Failure(FailureCategory.RUNTIME, message), seconds);
            }
            pump.finish(killWait);
            int code = process.exitValue();
            trace.event("command.exited", Map.of("index", index, "exit_code", code, "seconds", seconds));
            trace.log("# exit " + code + " after " + TimeBudget.format(took));
            return new Outcome(code == 0 ? null : new Run.Failure(command.onFailure(), label + " exited with code "
                    + code + " after " + TimeBudget.format(took) + exitHint(code) + "; its output is in trace.log"),
                    seconds);
        } catch (InterruptedException e) {
            int killed = killQuietly(process);
            Thread.currentThread().interrupt();
            trace.event("command.killed", Map.of("index", index, "processes", killed, "reason", "interrupted"));
            return new Outcome(new Run.Failure(FailureCategory.RUNTIME, INTERRUPTED + " while " + label
                    + " was running; its process tree (" + killed + " processes) was killed"),
                    Duration.between(started, clock.instant()).toMillis() / 1000.0);
        }
    }

    /** Whether the process ended (or its output overflowed) before {@code remaining} ran out. */
    private static boolean waitFor(Process process, BoundedOutput.Pump pump, Duration remaining)
            throws InterruptedException {
        if (remaining.isNegative() || remaining.isZero()) {
            return false;
        }
        try {
            CompletableFuture.anyOf(process.onExit(), pump.overflow()).get(remaining.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("Waiting for a process cannot fail", e);
        }
    }

    /** What a signal exit code means, when it is one of the sandbox's limits. */
    private static String exitHint(int code) {
        return switch (code) {
            case 128 + 25 -> " (SIGXFSZ: a file reached the limit cwom.worker.shell.max-output-file-bytes)";
            case 128 + 24 -> " (SIGXCPU: a process used up its CPU time, cwom.worker.shell.max-cpu-time)";
            case 128 + 9 -> " (SIGKILL)";
            default -> "";
        };
    }

    /** Kills the tree as an exceeded budget does, waiting as long for it to be gone: none is left behind. */
    private int killQuietly(Process process) {
        try {
            return ProcessTree.kill(process.toHandle(), killWait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
