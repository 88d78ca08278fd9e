package dev.cwom.events;

import dev.cwom.json.CwomJson;
import dev.cwom.model.Artifact;
import dev.cwom.model.Ids;
import dev.cwom.model.Ref;
import dev.cwom.model.Run;
import dev.cwom.model.validation.CwomValidator;
import dev.cwom.model.validation.Violation;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;

/**
 * The one mapping of CWOM runs and artifacts to the typed events of {@code cwom.runs.v1} and
 * {@code cwom.artifacts.v1}. Runs are reported by workers over Kafka and by clients over ingest's REST API; the sink
 * and analytics must see the same shape either way, so both build their envelopes, {@link RunFinished},
 * {@link Failure}, {@link PinnedRef} and {@link ArtifactCreated} here. What differs between the two reporters (which
 * times and executor they record, how instants are rounded) stays with them and is passed in.
 */
public final class RunEventMapping {

    /**
     * The Run {@code meta} key holding the run's attempt number ({@code RunEvent.attempt}), so that whoever reads the
     * Run sees its place among its Issue's attempts: a worker copies it from its work order, ingest sets it on a run
     * reported over REST.
     */
    public static final String META_ATTEMPT = "attempt";
    /** The Run {@code meta} key naming the principal who asked for the run (the work order's {@code requested_by}). */
    public static final String META_REQUESTED_BY = "requested_by";
    /**
     * The Run {@code meta} key holding the version of the operator policy the run was under (the pinned DoctrineRef
     * {@code cwom.operator/policy}); a reader of the run's pinned inputs sees ids and digests only, not which is the
     * policy. Absent when the work order pinned none.
     */
    public static final String META_POLICY_VERSION = "policy_version";

    /**
     * The Run {@code meta} key naming the Run this one replays ({@code WorkOrder.replay_of}): a worker copies it from its
     * work order, so the replay and its original can be told apart and joined wherever the Run is read.
     */
    public static final String META_REPLAY_OF = "replay_of";

    /**
     * The Run meta key of the W3C trace id the run belongs to (its work order's trace, the one its Issue was submitted
     * in), so a Run read from the API leads to its spans and to every record of it.
     */
    public static final String META_TRACE_ID = "trace_id";

    private RunEventMapping() {
    }

    /**
     * The {@link RunEvent} envelope (new event id) around a RunStarted, RunHeartbeat or RunFinished.
     *
     * @param workerId the worker that ran it; null when it was reported over REST
     */
    public static RunEvent runEvent(String runId, String issueId, String repoId, @Nullable String workerId,
            Instant at, SpecificRecord payload) {
        return RunEvent.newBuilder()
                .setEventId(Ids.newUlid())
                .setOccurredAt(at)
                .setRunId(runId)
                .setIssueId(issueId)
                .setRepoId(repoId)
                .setWorkerId(workerId)
                .setPayload(payload)
                .build();
    }

    /**
     * A finished run's payload. Times and duration are the reporter's own (workers measure them, REST clients may
     * send them), so they are taken as given.
     *
     * @param failure why it failed; null when it did not
     * @param cost what it cost; absent parts stay absent
     * @param artifactIds the ids of its artifacts, in the order they were announced
     */
    public static RunFinished runFinished(RunOutcome outcome, Run.@Nullable Failure failure, Instant startedAt,
            Instant endedAt, double durationS, Run.Cost cost, List<String> artifactIds,
            @Nullable String resultSummary, List<String> decisionLog) {
        return RunFinished.newBuilder()
                .setStatus(outcome)
                .setFailure(failure == null ? null : failure(failure))
                .setStartedAt(startedAt)
                .setEndedAt(endedAt)
                .setDurationS(durationS)
                .setCostUsd(cost.usd())
                .setCostTokens(cost.tokens())
                .setCostComputeS(cost.computeS())
                .setArtifactIds(artifactIds)
                .setResultSummary(resultSummary)
                .setDecisionLog(decisionLog)
                .build();
    }

    /** A Run's failure as the event carries it: the same category and message. */
    public static Failure failure(Run.Failure failure) {
        return new Failure(FailureCategory.valueOf(failure.category().value()), failure.message());
    }

    /** A pinned input of a run; the reference must carry the digest of the content the run used. */
    public static PinnedRef pinnedRef(Ref ref) {
        if (ref.digest() == null) {
            throw new IllegalArgumentException("The input " + ref.kind() + " " + ref.id()
                    + " is not pinned (no digest): pin it with Ref.pinned(kind, id, version, digest)");
        }
        return new PinnedRef(ref.kind(), ref.id(), ref.version(), ref.digest());
    }

    /**
     * The announcement of a stored Artifact (it must have its id already), with its tags and meta. Its
     * {@code verification} stays out: that is the sink's own verdict.
     */
    public static ArtifactCreated artifactCreated(Artifact artifact, String repoId, Instant at) {
        String id = Objects.requireNonNull(artifact.id(), "An Artifact is announced once it has an id");
        return artifactCreatedBuilder(id, artifact.producedBy().id(), artifact.forIssue().id(), repoId,
                artifact.type(),
                artifact.title(), artifact.uri(), artifact.digest(), artifact.mediaType(), artifact.sizeBytes(),
                artifact.preview(), at)
                .setTags(artifact.tags())
                .setMetaJson(metaJson(artifact.meta()))
                .build();
    }

    /**
     * The announcement (new event id) of an artifact a run produced, field by field as the Artifact has them; without
     * tags and meta (a worker's outputs have none).
     */
    public static ArtifactCreated artifactCreated(String artifactId, String runId, String issueId, String repoId,
            dev.cwom.model.ArtifactType type, String title, String uri, @Nullable String digest,
            @Nullable String mediaType, @Nullable Long sizeBytes, @Nullable String preview, Instant at) {
        return artifactCreatedBuilder(artifactId, runId, issueId, repoId, type, title, uri, digest, mediaType, sizeBytes,
                preview, at).build();
    }

    /**
     * A Run's or an Artifact's {@code meta} as its events carry it ({@code meta_json}): the JSON object, or null when
     * it is empty, since an absent meta and an empty one mean the same in CWOM.
     */
    public static @Nullable String metaJson(Map<String, Object> meta) {
        return meta.isEmpty() ? null : CwomJson.mapper().writeValueAsString(meta);
    }

    /**
     * Reads a {@code meta_json} back, held to what CWOM requires of {@code meta}: a JSON object (not an array, a
     * string or {@code null}) whose keys and strings hold no U+0000 and whose numbers are finite, so that it can be
     * stored. A null {@code meta_json} (an event written before the field existed, or an empty meta) is empty.
     *
     * @throws IllegalArgumentException saying what is wrong, for the rejection of the event that carried it
     */
    public static Map<String, Object> meta(@Nullable String metaJson) {
        if (metaJson == null) {
            return Map.of();
        }
        Map<String, Object> meta;
        try {
            meta = CwomJson.mapper().readValue(metaJson, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JacksonException e) {
            throw new IllegalArgumentException("meta_json cannot be read as a JSON object: "
                    + CwomValidator.violationOf(e).message(), e);
        }
        if (meta == null) {
            throw new IllegalArgumentException("meta_json is null as JSON; send a JSON object, or no meta_json");
        }
        List<Violation> violations = CwomValidator.shared().validateBody(meta);
        if (!violations.isEmpty()) {
            throw new IllegalArgumentException("meta_json cannot be stored (paths within the meta object): "
                    + violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
        }
        return meta;
    }

    private static ArtifactCreated.Builder artifactCreatedBuilder(String artifactId, String runId, String issueId,
            String repoId, dev.cwom.model.ArtifactType type, String title, String uri, @Nullable String digest,
            @Nullable String mediaType, @Nullable Long sizeBytes, @Nullable String preview, Instant at) {
        return ArtifactCreated.newBuilder()
                .setEventId(Ids.newUlid())
                .setOccurredAt(at)
                .setArtifactId(artifactId)
                .setRunId(runId)
                .setIssueId(issueId)
                .setRepoId(repoId)
                .setType(ArtifactType.valueOf(type.value()))
                .setTitle(title)
                .setUri(uri)
                .setDigest(digest)
                .setMediaType(mediaType)
                .setSizeBytes(sizeBytes)
                .setPreview(preview);
    }
}
