package dev.cwom.ingest.lineage;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cwom.model.Artifact;
import dev.cwom.model.DoctrineRef;
import dev.cwom.model.Issue;
import dev.cwom.model.Ref;
import dev.cwom.model.Repo;
import dev.cwom.model.Run;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * {@code GET /cwom/artifacts/{id}/lineage}: one document saying where an Artifact came from.
 *
 * @param artifact the Artifact as artifact-service stored it
 * @param verification artifact-service's check of the body against the digest (the Artifact's own)
 * @param run the Run that produced it
 * @param inputs every input the Run was pinned to, with kind, id, version and digest: what its work order carried
 *     (Repo, Issue, ContextPackets, ConstraintSnapshot, DoctrineRefs) when ingest recorded it, else the Run's own
 *     pinned inputs (ContextPackets, ConstraintSnapshot, DoctrineRefs)
 * @param inputsFrom {@code work_order} or {@code run}: which of the two {@code inputs} lists
 * @param policy the operator policy version the Run ran under, as pinned; absent for a Run reported without one
 * @param issue the Run's Issue as stored now (its pinned version is among {@code inputs})
 * @param repo the Issue's Repo as stored now
 * @param requestedBy who asked for the Run ({@code meta.requested_by}); absent when not recorded
 * @param worker the worker that ran it; absent for a Run reported over REST
 * @param replayOf the Run this one replays ({@code meta.replay_of}); absent for an ordinary run
 * @param trace the Run's trace bundle (its {@code manifest.json} lists the same inputs), when it has one
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArtifactLineage(Artifact artifact, Artifact.Verification verification, Run run, List<Ref> inputs,
        String inputsFrom, @Nullable DoctrineRef policy, Issue issue, Repo repo, @Nullable String requestedBy,
        @Nullable String worker, @Nullable String replayOf, @Nullable Trace trace) {

    /** Where the Run's trace bundle is: the Artifact's id, its blob URI and digest. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Trace(String artifactId, String uri, @Nullable String digest) {
    }
}
