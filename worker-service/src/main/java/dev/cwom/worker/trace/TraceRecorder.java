package dev.cwom.worker.trace;

import java.nio.file.Path;
import java.util.Map;

/**
 * What an executor may write into its run's trace: steps with their time, output lines, artifact and evidence files.
 * Implementations are safe to call from several threads.
 */
public interface TraceRecorder {

    /** Records one step in {@code events.jsonl}, stamped with the current time; details are small scalars. */
    void event(String step, Map<String, ?> details);

    /** Appends one line to {@code trace.log}. */
    void log(String line);

    /**
     * The {@code trace.log} file, for child processes whose output is appended to it directly (so that a process
     * that keeps writing after it was given up on can never block the worker on a full pipe).
     */
    Path logFile();

    /** Folder for the run's outputs; files placed here are part of the trace bundle. */
    Path artifactsDir();

    /** Folder for evidence (check results, reports) that backs the outputs. */
    Path evidenceDir();
}
