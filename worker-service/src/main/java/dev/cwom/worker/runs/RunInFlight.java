package dev.cwom.worker.runs;

import dev.cwom.worker.execution.ExecutedRun;
import dev.cwom.worker.execution.RunCancellation;
import java.time.Instant;
import java.util.concurrent.Future;

/** A run on an executor thread, as the poll thread tracks it: only the poll thread reads and writes these fields. */
final class RunInFlight {

    final Attempt attempt;
    final RunTask task;
    final Future<ExecutedRun> result;
    final RunCancellation cancellation;
    Instant nextHeartbeat;
    boolean cancelAsked;

    RunInFlight(Attempt attempt, RunTask task, Future<ExecutedRun> result, RunCancellation cancellation,
            Instant nextHeartbeat) {
        this.attempt = attempt;
        this.task = task;
        this.result = result;
        this.cancellation = cancellation;
        this.nextHeartbeat = nextHeartbeat;
    }

    /**
     * The poll thread gives up on the run: its executor is interrupted, and its folders go to the quarantine (now, or
     * when the executor returns). Recording it failed is the caller's.
     */
    void abandon(String reason) {
        task.abandon(reason);
        result.cancel(true);
    }
}
