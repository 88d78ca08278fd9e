package dev.cwom.worker.execution;

import dev.cwom.model.Run;
import dev.cwom.model.RunMode;
import dev.cwom.model.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A finished run with its outputs uploaded: everything {@code ArtifactCreated} and {@code RunFinished} need.
 *
 * @param runId the Run's id
 * @param executor the executor's name
 * @param mode how it ran: {@code agent} for the http executor, {@code system} otherwise
 * @param status {@link Status#DONE}, {@link Status#FAILED}, or {@link Status#CANCELED} when its Issue was canceled
 *     and the run stopped ({@link RunCancellation})
 * @param failure why it failed; absent when done or canceled
 * @param startedAt when it started
 * @param endedAt when it ended (before the uploads)
 * @param resultSummary the executor's summary
 * @param decisionLog what the executor decided and why
 * @param cost what it cost
 * @param outputs the executor's outputs, uploaded, in order
 * @param trace the trace bundle, uploaded; the Artifact of type {@code trace}
 */
public record ExecutedRun(
        String runId,
        String executor,
        RunMode mode,
        Status status,
        Run.@Nullable Failure failure,
        Instant startedAt,
        Instant endedAt,
        @Nullable String resultSummary,
        List<String> decisionLog,
        Run.Cost cost,
        List<PublishedArtifact> outputs,
        PublishedArtifact trace) {

    public ExecutedRun {
        decisionLog = List.copyOf(decisionLog);
        outputs = List.copyOf(outputs);
    }

    public double durationSeconds() {
        return Duration.between(startedAt, endedAt).toMillis() / 1000.0;
    }

    /** Outputs then the trace: the order in which to publish {@code ArtifactCreated}. */
    public List<PublishedArtifact> artifacts() {
        List<PublishedArtifact> all = new java.util.ArrayList<>(outputs);
        all.add(trace);
        return all;
    }
}
