package dev.cwom.worker.execution;

import org.jspecify.annotations.Nullable;

/**
 * Stops one run's executor when the run's Issue is canceled or its attempt withdrawn (the Issue left ready). The
 * poll thread calls {@link #cancel}; the executor
 * thread is interrupted if it is inside the executor, which is how every executor is told to stop (the shell executor
 * kills the command's process tree as an exceeded time budget does, the http executor abandons its call, noop has
 * nothing to stop). A run canceled before its executor started executes nothing; one canceled after its executor
 * returned keeps its outcome: the work was done, and what remains (uploads) is only recording it.
 */
public final class RunCancellation {

    private @Nullable Thread executing;
    private boolean executed;
    private @Nullable String reason;

    /**
     * Asks the run to stop; {@code why} says why and when, e.g. "Issue X was canceled at T", and goes into the run's
     * summary.
     *
     * @return false when it was asked before or its executor already returned
     */
    public synchronized boolean cancel(String why) {
        if (reason != null || executed) {
            return false;
        }
        reason = why;
        if (executing != null) {
            executing.interrupt();
        }
        return true;
    }

    /** Why the run was stopped, if it was (before or while its executor ran). */
    public synchronized @Nullable String reason() {
        return reason;
    }

    /** The calling thread starts the executor; false when the run was canceled before, so it must not start. */
    synchronized boolean enter() {
        if (reason != null) {
            return false;
        }
        executing = Thread.currentThread();
        return true;
    }

    /**
     * The executor returned. A cancellation's interrupt is cleared, since it was meant for the executor only: the
     * trace and outputs are still to be uploaded.
     */
    synchronized void leave() {
        executing = null;
        executed = true;
        if (reason != null) {
            Thread.interrupted();
        }
    }
}
