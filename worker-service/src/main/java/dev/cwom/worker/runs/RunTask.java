package dev.cwom.worker.runs;

import dev.cwom.worker.disk.RunFolders;
import dev.cwom.worker.execution.ExecutedRun;
import dev.cwom.worker.execution.PreparedRun;
import dev.cwom.worker.execution.RunCancellation;
import dev.cwom.worker.execution.RunExecution;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * One run on an executor thread, and who disposes of its folders when the poll thread gives up on it. A run that is
 * finished is the poll thread's to clean up; one abandoned while its executor is still going (revoked, lost, shut
 * down) may still be writing into its trace folder, so its executor thread moves the folders to the quarantine once
 * the executor returns. One abandoned before it started, or after it returned, is quarantined at once.
 */
final class RunTask implements Callable<ExecutedRun> {

    private enum State { QUEUED, EXECUTING, RETURNED, ABANDONED }

    private final PreparedRun prepared;
    private final RunCancellation cancellation;
    private final RunExecution execution;
    private final RunFolders folders;
    private final Set<String> executing;
    private final AtomicReference<State> state = new AtomicReference<>(State.QUEUED);
    private volatile @Nullable String abandonedBecause;

    /**
     * @param executing the ids of the runs whose executor is running, shared by all of the loop's tasks: the start-up
     *     sweep leaves their folders alone
     */
    RunTask(PreparedRun prepared, RunCancellation cancellation, RunExecution execution, RunFolders folders,
            Set<String> executing) {
        this.prepared = prepared;
        this.cancellation = cancellation;
        this.execution = execution;
        this.folders = folders;
        this.executing = executing;
    }

    @Override
    public ExecutedRun call() {
        if (!state.compareAndSet(State.QUEUED, State.EXECUTING)) {
            throw new CancellationException("run " + prepared.runId() + " was abandoned before it started");
        }
        executing.add(prepared.runId());
        try {
            return execution.execute(prepared, cancellation);
        } finally {
            executing.remove(prepared.runId());
            if (!state.compareAndSet(State.EXECUTING, State.RETURNED)) {
                folders.quarantine(prepared.runId(), String.valueOf(abandonedBecause));
            }
        }
    }

    /**
     * The poll thread gives up on the run ({@code reason} says why): its folders go to the quarantine now, or, while
     * its executor is still going, when the executor returns. Call it before cancelling the run's future.
     */
    void abandon(String reason) {
        abandonedBecause = reason;
        if (state.compareAndSet(State.EXECUTING, State.ABANDONED)) {
            return;
        }
        if (state.compareAndSet(State.QUEUED, State.ABANDONED) || state.get() == State.RETURNED) {
            folders.quarantine(prepared.runId(), reason);
        }
    }
}
