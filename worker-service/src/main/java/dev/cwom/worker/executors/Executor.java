package dev.cwom.worker.executors;

import dev.cwom.model.RunMode;
import dev.cwom.worker.trace.TraceRecorder;

/**
 * A plug-in that carries out a run's work: given the pinned inputs and a fresh working directory, it produces
 * outputs, a summary and a decision log, or a failure with its category.
 *
 * <p>Expected failures (a refused tool, an exceeded budget, a failing command, an unreachable agent) are returned as
 * a failed {@link ExecutionResult}, never thrown; an exception escaping {@code execute} is a bug and is recorded as
 * failure {@code unknown}. When the calling thread is interrupted (worker shutdown, or the run's Issue canceled) an
 * executor stops its work and returns a {@code runtime} failure, its message starting with {@link #INTERRUPTED}, with
 * the interrupt flag set again.
 */
public interface Executor {

    /** How a failure caused by an interrupt begins; the interrupt does not say which of the two it was. */
    String INTERRUPTED = "Interrupted (the worker shut down, or the run's Issue was canceled)";

    /** The name by which Issues choose this executor (meta {@code executor}) and the worker config maps types. */
    String name();

    ExecutionResult execute(ExecutionRequest request, TraceRecorder trace);

    /** How runs of this executor are recorded: {@code system} unless an agent does the work. */
    default RunMode mode() {
        return RunMode.SYSTEM;
    }
}
