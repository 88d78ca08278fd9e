package dev.cwom.worker.runs;

import dev.cwom.model.FailureCategory;
import dev.cwom.model.Run;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How one run attempt ended, with its outputs already in the blob store: everything {@code RunFinished} and the
 * {@code ArtifactCreated} events need.
 *
 * @param endedAt when the work ended
 * @param failure why it failed; absent when it is done
 * @param cost what it cost
 * @param artifacts the outputs and, last, the trace bundle
 * @param resultSummary a line on the outcome
 * @param decisionLog what was decided and why, in order
 */
record AttemptResult(Instant endedAt, Run.@Nullable Failure failure, Run.Cost cost, List<PublishedArtifact> artifacts,
        @Nullable String resultSummary, List<String> decisionLog) {

    AttemptResult {
        artifacts = List.copyOf(artifacts);
        decisionLog = List.copyOf(decisionLog);
    }

    /** A failure without outputs or cost: nothing ran, or what ran cannot be reported. */
    static AttemptResult failed(Instant endedAt, FailureCategory category, String message) {
        return new AttemptResult(endedAt, new Run.Failure(category, message), new Run.Cost(null, null, null),
                List.of(), message, List.of(message));
    }
}
