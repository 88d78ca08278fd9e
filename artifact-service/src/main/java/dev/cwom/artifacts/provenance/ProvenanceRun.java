package dev.cwom.artifacts.provenance;

import dev.cwom.model.Ref;
import dev.cwom.model.Run;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What artifact-service stored of one Run that is due for provenance, as the round reads it.
 *
 * @param runId the Run
 * @param issueId its Issue
 * @param repoId its Issue's Repo
 * @param status its status now
 * @param started whether its start is stored (a run reported finished without a start has none)
 * @param startEmitted whether its START event was emitted already
 * @param workerId the worker that ran it
 * @param executor the executor, from its start
 * @param inputs its pinned inputs
 * @param telemetry its start and end times
 * @param failure why it failed
 * @param requestedBy the principal who asked for it ({@code meta.requested_by})
 * @param policyVersion the operator policy version it was under ({@code meta.policy_version})
 * @param traceId the W3C trace id of the run ({@code meta.trace_id}), which its attestation and lineage records join
 * @param listedArtifacts the artifact ids the Run lists as outputs
 * @param artifacts its stored artifacts
 */
record ProvenanceRun(String runId, String issueId, String repoId, String status, boolean started,
        boolean startEmitted, @Nullable String workerId, Run.@Nullable Executor executor, Run.@Nullable Inputs inputs,
        Run.Telemetry telemetry, Run.@Nullable Failure failure, @Nullable String requestedBy,
        @Nullable String policyVersion, @Nullable String traceId, Set<String> listedArtifacts,
        List<StoredArtifact> artifacts) {

    /** The statuses a Run ends in. */
    static final Set<String> FINAL = Set.of("done", "failed", "canceled");

    /**
     * An artifact as stored.
     *
     * @param verification the sink's verdict on its body ({@code verified}, {@code failed}, {@code unverified})
     */
    record StoredArtifact(String id, String type, String title, String uri, @Nullable String digest,
            @Nullable String mediaType, @Nullable Long sizeBytes, String verification) {
    }

    /** Whether it ended and every artifact it lists is stored: only then are its outputs known. */
    boolean finishedWithAllArtifacts() {
        Set<String> stored = artifacts.stream().map(StoredArtifact::id).collect(java.util.stream.Collectors.toSet());
        return FINAL.contains(status) && stored.containsAll(listedArtifacts);
    }

    /** This run with its attestation among its artifacts, for the final event's outputs. */
    ProvenanceRun withAttestation(dev.cwom.artifacts.sink.SinkEvent.ArtifactReceived attestation) {
        dev.cwom.events.ArtifactCreated a = attestation.event();
        List<StoredArtifact> all = new java.util.ArrayList<>(artifacts);
        all.removeIf(existing -> existing.id().equals(a.getArtifactId()));
        all.add(new StoredArtifact(a.getArtifactId(), a.getType().name(), a.getTitle(), a.getUri(), a.getDigest(),
                a.getMediaType(), a.getSizeBytes(), attestation.verification().status().value()));
        return new ProvenanceRun(runId, issueId, repoId, status, started, startEmitted, workerId, executor, inputs,
                telemetry, failure, requestedBy, policyVersion, traceId, listedArtifacts, List.copyOf(all));
    }

    /** Every pinned input: ContextPackets, DoctrineRefs, then the ConstraintSnapshot. */
    List<Ref> pinned() {
        if (inputs == null) {
            return List.of();
        }
        java.util.ArrayList<Ref> refs = new java.util.ArrayList<>(inputs.contextPackets());
        refs.addAll(inputs.doctrineRefs());
        if (inputs.constraintSnapshot() != null) {
            refs.add(inputs.constraintSnapshot());
        }
        return refs.stream().filter(r -> r.digest() != null).toList();
    }

    @Nullable String executorName() {
        return executor == null || executor.actor() == null ? null : executor.actor().actorId();
    }

    /** When it ended: its telemetry's end, else when its finish was stored. */
    @Nullable Instant endedAt() {
        return telemetry.endedAt();
    }
}
