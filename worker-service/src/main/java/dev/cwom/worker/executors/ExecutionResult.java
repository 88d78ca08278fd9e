package dev.cwom.worker.executors;

import dev.cwom.model.FailureCategory;
import dev.cwom.model.Run;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What an execution produced: outputs, a summary and a decision log, and either success or a failure with its
 * category; plus what it cost.
 *
 * @param outputs the outputs, to become Artifacts (also on failure: logs and partial results help)
 * @param resultSummary a line or two on the outcome
 * @param decisionLog what the executor decided and why, in order (what was enforced, what was refused)
 * @param failure why it failed; absent on success
 * @param cost what it cost; compute seconds at least
 */
public record ExecutionResult(List<ExecutionOutput> outputs, @Nullable String resultSummary, List<String> decisionLog,
        Run.@Nullable Failure failure, Run.Cost cost) {

    public ExecutionResult {
        outputs = List.copyOf(outputs);
        decisionLog = List.copyOf(decisionLog);
    }

    public static ExecutionResult success(List<ExecutionOutput> outputs, String resultSummary,
            List<String> decisionLog, Run.Cost cost) {
        return new ExecutionResult(outputs, resultSummary, decisionLog, null, cost);
    }

    public static ExecutionResult failure(FailureCategory category, String message, List<ExecutionOutput> outputs,
            List<String> decisionLog, Run.Cost cost) {
        return new ExecutionResult(outputs, message, decisionLog, new Run.Failure(category, message), cost);
    }

    /** A failure before anything ran: no outputs, no cost. */
    public static ExecutionResult refused(FailureCategory category, String message, List<String> decisionLog) {
        return failure(category, message, List.of(), decisionLog, new Run.Cost(0.0, null, 0.0));
    }

    public boolean succeeded() {
        return failure == null;
    }
}
