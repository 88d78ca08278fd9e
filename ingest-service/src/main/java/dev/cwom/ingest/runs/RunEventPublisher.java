package dev.cwom.ingest.runs;

import dev.cwom.model.Artifact;
import dev.cwom.model.Run;
import org.jspecify.annotations.Nullable;

/**
 * Where REST writes of Runs and Artifacts go: they become events on {@code cwom.runs.v1} and
 * {@code cwom.artifacts.v1}, so the sink stays the only writer of cwom_runs and cwom_artifacts. The bean is
 * replaced by a Kafka publisher with the dispatch issue; until then {@link UnwiredRunEventPublisher} answers 501.
 */
public interface RunEventPublisher {

    /** A Run reported by a human or an outside agent ({@code POST /cwom/runs}); answers the accepted Run. */
    Run runReported(Run run, @Nullable String traceId);

    /** A change to a reported Run ({@code PATCH /cwom/runs/{id}}). */
    Run runUpdated(String runId, RunUpdate update, @Nullable String traceId);

    /** An Artifact reported for a Run ({@code POST /cwom/artifacts}). */
    Artifact artifactReported(Artifact artifact, @Nullable String traceId);
}
