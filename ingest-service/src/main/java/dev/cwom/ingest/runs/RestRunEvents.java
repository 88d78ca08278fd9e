package dev.cwom.ingest.runs;

import dev.cwom.events.ArtifactCreated;
import dev.cwom.events.ExecutorInfo;
import dev.cwom.events.RunEvent;
import dev.cwom.events.RunEventMapping;
import dev.cwom.events.RunFinished;
import dev.cwom.events.RunHeartbeat;
import dev.cwom.events.RunOutcome;
import dev.cwom.events.RunStarted;
import dev.cwom.ingest.constraints.ConstraintSnapshotService;
import dev.cwom.ingest.contextpackets.ContextPacketService;
import dev.cwom.ingest.doctrine.DoctrineRefService;
import dev.cwom.json.Digests;
import dev.cwom.model.Artifact;
import dev.cwom.model.ConstraintSnapshot;
import dev.cwom.model.ContextPacket;
import dev.cwom.model.DoctrineRef;
import dev.cwom.model.Ref;
import dev.cwom.model.Run;
import dev.cwom.model.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Maps runs and artifacts reported over REST to the events workers publish, so the sink stores them the same way.
 * Inputs are pinned as workers pin them: with the digest of the stored object, not whatever the client sent. What a
 * client says about its run that a worker does not (tags, meta, plan.risk_notes) travels in the same fields, which
 * workers leave empty. A reported run's events carry the attempt number ingest gave it at receipt, also in its
 * {@code meta.attempt}, as a worker's carry its work order's.
 */
@Component
class RestRunEvents {

    private final ContextPacketService contextPackets;
    private final DoctrineRefService doctrineRefs;
    private final ConstraintSnapshotService constraintSnapshots;

    RestRunEvents(ContextPacketService contextPackets, DoctrineRefService doctrineRefs,
            ConstraintSnapshotService constraintSnapshots) {
        this.contextPackets = contextPackets;
        this.doctrineRefs = doctrineRefs;
        this.constraintSnapshots = constraintSnapshots;
    }

    RunEvent started(Run run, Instant now, int attempt) {
        Run.Executor executor = run.executor();
        ExecutorInfo info = ExecutorInfo.newBuilder()
                .setActorKind(executor != null && executor.actor() != null ? executor.actor().actorKind().value()
                        : "human")
                .setActorId(executor != null && executor.actor() != null ? executor.actor().actorId() : "rest-client")
                .setDisplay(executor != null && executor.actor() != null ? executor.actor().display() : null)
                .setRuntime(executor == null ? null : executor.runtime())
                .setToolchain(executor == null ? java.util.List.of() : executor.toolchain())
                .build();
        Ref snapshot = run.inputs().constraintSnapshot();
        RunStarted started = RunStarted.newBuilder()
                .setMode(dev.cwom.events.RunMode.valueOf(run.mode().value()))
                .setExecutor(info)
                .setContextPackets(run.inputs().contextPackets().stream().map(ref -> {
                    ContextPacket packet = contextPackets.get(ref.id());
                    return RunEventMapping.pinnedRef(
                            Ref.pinned(ContextPacket.KIND, ref.id(), packet.version(), Digests.sha256(packet)));
                }).toList())
                .setDoctrineRefs(run.inputs().doctrineRefs().stream().map(ref -> {
                    DoctrineRef doctrine = doctrineRefs.get(ref.id());
                    return RunEventMapping.pinnedRef(
                            Ref.pinned(DoctrineRef.KIND, ref.id(), doctrine.version(), Digests.sha256(doctrine)));
                }).toList())
                .setConstraintSnapshot(snapshot == null ? null : RunEventMapping.pinnedRef(Ref.pinned(
                        ConstraintSnapshot.KIND, snapshot.id(), null,
                        Digests.sha256(constraintSnapshots.get(snapshot.id())))))
                .setPlanSteps(run.plan().steps())
                .setPlanRiskNotes(run.plan().riskNotes())
                .setStartedAt(Objects.requireNonNullElse(run.telemetry().startedAt(), now))
                .setTags(run.tags())
                .setMetaJson(RunEventMapping.metaJson(withAttempt(run.meta(), attempt)))
                .build();
        return envelope(run, now, started, attempt);
    }

    /** @param attempt the run's attempt number; null when it is not at hand (ingest's run status keeps the first) */
    RunEvent finished(Run run, Status status, Run.@Nullable Failure failure, Run.Telemetry telemetry, Run.Cost cost,
            Run.Outputs outputs, Instant now, @Nullable Integer attempt) {
        Instant startedAt = Objects.requireNonNullElse(telemetry.startedAt(),
                Objects.requireNonNullElse(run.telemetry().startedAt(), now));
        Instant endedAt = Objects.requireNonNullElse(telemetry.endedAt(), now);
        double duration = telemetry.durationS() != null ? telemetry.durationS()
                : Math.max(0, Duration.between(startedAt, endedAt).toMillis() / 1000.0);
        RunFinished finished = RunEventMapping.runFinished(RunOutcome.valueOf(status.value()), failure, startedAt,
                endedAt, duration, cost, outputs.artifacts().stream().map(Ref::id).toList(),
                outputs.resultSummary(), outputs.decisionLog());
        return envelope(run, now, finished, attempt);
    }

    RunEvent finished(Run stored, RunUpdate update, Instant now) {
        Status status = Objects.requireNonNull(update.status());
        Run updated = update.applyTo(stored);
        return finished(stored, status, updated.failure(), updated.telemetry(), updated.cost(), updated.outputs(),
                now, null);
    }

    RunEvent heartbeat(Run stored, Instant now) {
        return envelope(stored, now, RunHeartbeat.newBuilder().setProgress("reported over REST").build(), null);
    }

    /** {@code repoId} is the repo of the Artifact's Issue: the sink records the run from it if it has no row yet. */
    ArtifactCreated artifactCreated(Artifact artifact, String repoId, Instant now) {
        return RunEventMapping.artifactCreated(artifact, repoId, now);
    }

    /** The Run's meta with {@code attempt} set by ingest, whatever the client said under that key. */
    private static Map<String, Object> withAttempt(Map<String, Object> meta, int attempt) {
        Map<String, Object> numbered = new LinkedHashMap<>(meta);
        numbered.put(RunEventMapping.META_ATTEMPT, attempt);
        return numbered;
    }

    private static RunEvent envelope(Run run, Instant now, SpecificRecord payload, @Nullable Integer attempt) {
        RunEvent event = RunEventMapping.runEvent(Objects.requireNonNull(run.id()), run.forIssue().id(),
                run.repo().id(), null, now, payload);
        event.setAttempt(attempt);
        return event;
    }
}
