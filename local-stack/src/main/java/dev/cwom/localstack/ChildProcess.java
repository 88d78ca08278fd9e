package dev.cwom.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process the stack started (a JVM, usually), with its output appended to a log file. Stopping is polite first:
 * SIGTERM lets a broker or a Boot service run its own shutdown; only a process that outlives the grace period is
 * killed.
 */
final class ChildProcess {

    private final String name;
    private final Process process;
    private final Path logFile;

    private ChildProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /** Starts {@code command} in {@code workingDirectory}, appending stdout and stderr to {@code logFile}. */
    static ChildProcess start(String name, List<String> command, Map<String, String> environment, Path logFile,
                              Path workingDirectory) {
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workingDirectory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(environment);
            return new ChildProcess(name, builder.start(), logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name + " (" + String.join(" ", command.subList(0, 1))
                    + "); see " + logFile, e);
        }
    }

    /** The java launcher of the JDK running the stack, so every child runs on the same JDK. */
    static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    Path logFile() {
        return logFile;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits up to {@code timeout} for the process to end by itself; answers its exit code, or -1 if still running. */
    int awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** SIGTERM, then up to {@code grace} for a clean exit, then SIGKILL. Safe to call more than once. */
    void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (awaitExit(grace) == -1 && process.isAlive()) {
            System.err.printf("%s (pid %d) did not stop within %ss; killing it%n", name, pid(), grace.toSeconds());
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(10));
        }
    }

    /** SIGKILL at once, then up to 10 s for the OS to reap it. */
    void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    /** The last {@code lines} lines of the log file, for error messages. */
    String logTail(int lines) {
        try {
            if (!Files.exists(logFile)) {
                return "(no log written)";
            }
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }
}
