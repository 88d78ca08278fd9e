package dev.cwom.worker.trace;

import dev.cwom.model.Ref;
import dev.cwom.model.Run;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * {@code manifest.json} of a trace folder: which run of which issue, with which pinned inputs, executed by what, when,
 * and how it ended. Written when the run starts and rewritten when it ends.
 *
 * @param runId the Run's id (the folder's name)
 * @param workerId the worker instance that executed it, when known
 * @param traceId the W3C trace id of the run's trace (the one its Issue was submitted in), to find its spans; absent
 *     when tracing is off
 * @param issue the Issue the run is for, with its title and type
 * @param repo the Repo the Issue belongs to
 * @param executor name of the executor plug-in that ran it
 * @param inputs every pinned input (Issue, Repo, ContextPackets, ConstraintSnapshot, DoctrineRefs) with id, version
 *     and digest
 * @param timing start, end and duration; end and duration are absent while the run is in progress
 * @param status {@code running}, then {@code done} or {@code failed}
 * @param failure why it failed, when it did
 * @param outputs the outputs the executor produced
 * @param lineage where ingest answers the lineage of this trace (the Run, its pinned inputs, policy, Issue, Repo, who
 *     asked, the worker: docs/provenance.md), relative to the API's base URL; absent while the run is in progress
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TraceManifest(
        String runId,
        @Nullable String workerId,
        @Nullable String traceId,
        Subject issue,
        Subject repo,
        String executor,
        List<Ref> inputs,
        Run.Telemetry timing,
        String status,
        Run.@Nullable Failure failure,
        List<Output> outputs,
        @Nullable String lineage) {

    /** The lineage path of the trace artifact {@code traceArtifactId}. */
    public static String lineagePath(String traceArtifactId) {
        return "/cwom/artifacts/" + traceArtifactId + "/lineage";
    }

    public TraceManifest {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** An object the run is about, by id with a human-readable label (issue title, repo slug). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Subject(String id, String label, @Nullable String type) {
    }

    /** One output: {@code path} is relative to the trace folder for files, {@code uri} for links. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Output(String title, String type, String mediaType, @Nullable String path, @Nullable String uri) {
    }
}
