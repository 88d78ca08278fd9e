package dev.cwom.ingest.runs;

import dev.cwom.ingest.store.Created;
import dev.cwom.ingest.problems.ApiProblem;
import dev.cwom.model.Artifact;
import dev.cwom.model.Status;
import java.time.Duration;
import dev.cwom.model.Run;
import org.jspecify.annotations.Nullable;

/**
 * Where REST writes of Runs and Artifacts go: they become events on {@code cwom.runs.v1} and
 * {@code cwom.artifacts.v1}, so the sink stays the only writer of cwom_runs and cwom_artifacts.
 */
public interface RunEventPublisher {

    /**
     * A Run reported by a human or an outside agent ({@code POST /cwom/runs}): created with the accepted Run, or, for
     * the same content again under its id, not created with the Run as it is now (nothing published).
     */
    Created<Run> runReported(Run run, @Nullable String traceId);

    /** A change to a reported Run ({@code PATCH /cwom/runs/{id}}). */
    Run runUpdated(String runId, RunUpdate update, @Nullable String traceId);

    /** An Artifact reported for a Run ({@code POST /cwom/artifacts}), idempotent by id as {@link #runReported}. */
    Created<Artifact> artifactReported(Artifact artifact, @Nullable String traceId);

    /**
     * Waits up to {@code wait} until the sink has stored Run {@code runId}, with {@code status} when given.
     *
     * @return whether it was stored in time
     */
    boolean awaitRunStored(String runId, @Nullable Status status, Duration wait);

    /** Waits up to {@code wait} until the sink has stored Artifact {@code artifactId}. */
    boolean awaitArtifactStored(String artifactId, Duration wait);

    /** The {@code wait} query parameter in seconds: absent is no wait, 0 to 30 allowed, anything else a 400. */
    static Duration waitParameter(@Nullable Integer seconds) {
        if (seconds == null) {
            return Duration.ZERO;
        }
        if (seconds < 0 || seconds > MAX_WAIT_SECONDS) {
            throw ApiProblem.invalid("wait", "must be between 0 and " + MAX_WAIT_SECONDS + " seconds, not " + seconds
                    + "; leave it out to get 202 at once");
        }
        return Duration.ofSeconds(seconds);
    }

    /** The longest {@code ?wait} a client may ask for. */
    int MAX_WAIT_SECONDS = 30;
}
