package dev.cwom.worker.execution;

import dev.cwom.model.Ref;
import dev.cwom.worker.executors.ExecutionRequest;
import dev.cwom.worker.executors.Executor;
import dev.cwom.worker.trace.TraceFolder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A run whose inputs were checked and pinned, with its trace folder and working directory, ready for
 * {@link RunExecution#execute(PreparedRun)}. Everything {@code RunStarted} needs is here.
 *
 * @param runId the Run's id
 * @param startedAt when the run started
 * @param pinned every input as a pinned reference (kind, id, version, digest), in work-order order, also when the
 *     inputs were refused
 * @param request the parsed inputs; absent when they were refused
 * @param refusal why the inputs were refused (category {@code policy}); absent when they are fine
 * @param executor the executor that will run it (one that fails with {@code policy} when the name is unknown or
 *     the inputs were refused)
 * @param trace the run's trace folder
 * @param workDir the run's fresh working directory
 * @param traceId the id of the trace the run belongs to (its work order's), for the Run's meta and the manifest;
 *     absent when tracing is off
 * @param traceContext that trace's W3C context as header name -> value, written on the run's records and continued
 *     while it executes
 */
public record PreparedRun(
        String runId,
        Instant startedAt,
        List<Ref> pinned,
        @Nullable ExecutionRequest request,
        @Nullable String refusal,
        Executor executor,
        TraceFolder trace,
        Path workDir,
        @Nullable String traceId,
        Map<String, String> traceContext) {

    public PreparedRun {
        pinned = List.copyOf(pinned);
        traceContext = Map.copyOf(traceContext);
    }

    /** The pinned ContextPackets, for {@code RunStarted.context_packets} and {@code Run.inputs}. */
    public List<Ref> contextPackets() {
        return ofKind("ContextPacket");
    }

    /** The pinned DoctrineRefs. */
    public List<Ref> doctrineRefs() {
        return ofKind("DoctrineRef");
    }

    /** The pinned ConstraintSnapshot, if the work order has one. */
    public @Nullable Ref constraintSnapshot() {
        List<Ref> snapshots = ofKind("ConstraintSnapshot");
        return snapshots.isEmpty() ? null : snapshots.getFirst();
    }

    private List<Ref> ofKind(String kind) {
        return pinned.stream().filter(r -> r.kind().equals(kind)).toList();
    }
}
