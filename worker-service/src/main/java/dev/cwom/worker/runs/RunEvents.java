package dev.cwom.worker.runs;

import dev.cwom.events.ArtifactCreated;
import dev.cwom.events.ExecutorInfo;
import dev.cwom.events.Failure;
import dev.cwom.events.Header;
import dev.cwom.events.PinnedInput;
import dev.cwom.events.PinnedRef;
import dev.cwom.events.RecordRejected;
import dev.cwom.events.RunEvent;
import dev.cwom.events.RunFinished;
import dev.cwom.events.RunHeartbeat;
import dev.cwom.events.RunMode;
import dev.cwom.events.RunOutcome;
import dev.cwom.events.RunStarted;
import dev.cwom.model.ConstraintSnapshot;
import dev.cwom.model.ContextPacket;
import dev.cwom.model.DoctrineRef;
import dev.cwom.model.Ids;
import dev.cwom.model.Run;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Builds the events the worker publishes: RunStarted, RunHeartbeat and RunFinished (envelope {@link RunEvent}, key =
 * run id), ArtifactCreated (key = run id) and RecordRejected for work orders that cannot be read.
 */
final class RunEvents {

    /** The executor whose runs are an agent's work; every other built-in executor is the system's. */
    private static final String AGENT_EXECUTOR = "http";

    private final String workerId;

    RunEvents(String workerId) {
        this.workerId = workerId;
    }

    /** RunStarted, with the inputs pinned as the work order lists them. */
    RunEvent started(Attempt attempt) {
        List<PinnedRef> packets = new ArrayList<>();
        List<PinnedRef> doctrine = new ArrayList<>();
        PinnedRef constraints = null;
        for (PinnedInput input : attempt.order().getInputs()) {
            PinnedRef ref = new PinnedRef(input.getKind(), input.getId(), input.getVersion(), input.getDigest());
            switch (input.getKind()) {
                case ContextPacket.KIND -> packets.add(ref);
                case DoctrineRef.KIND -> doctrine.add(ref);
                case ConstraintSnapshot.KIND -> constraints = ref;
                default -> {
                    // Issue and Repo are the run's subject, not pinned inputs of Run.inputs.
                }
            }
        }
        boolean agent = AGENT_EXECUTOR.equals(attempt.executor());
        RunStarted started = RunStarted.newBuilder()
                .setWorkOrderEventId(attempt.order().getEventId())
                .setMode(agent ? RunMode.agent : RunMode.system)
                .setExecutor(new ExecutorInfo(agent ? "agent" : "system", attempt.executor(),
                        "cwom worker " + workerId + ", executor " + attempt.executor(),
                        "java " + Runtime.version().feature(), List.of()))
                .setContextPackets(packets)
                .setDoctrineRefs(doctrine)
                .setConstraintSnapshot(constraints)
                .setPlanSteps(List.of())
                .setStartedAt(millis(attempt.startedAt()))
                .build();
        return envelope(attempt, attempt.startedAt(), started);
    }

    RunEvent heartbeat(Attempt attempt, Instant now) {
        long seconds = Duration.between(attempt.startedAt(), now).toSeconds();
        return envelope(attempt, now, new RunHeartbeat("running for " + seconds + " s on " + workerId));
    }

    /** RunFinished, done or failed, listing the artifacts in the order they are announced. */
    RunEvent finished(Attempt attempt, AttemptResult result) {
        Instant started = millis(attempt.startedAt());
        Instant ended = millis(result.endedAt().isBefore(started) ? started : result.endedAt());
        Run.Failure failure = result.failure();
        RunFinished finished = RunFinished.newBuilder()
                .setStatus(failure == null ? RunOutcome.done : RunOutcome.failed)
                .setFailure(failure == null ? null : new Failure(
                        dev.cwom.events.FailureCategory.valueOf(failure.category().value()), failure.message()))
                .setStartedAt(started)
                .setEndedAt(ended)
                .setDurationS(Duration.between(started, ended).toMillis() / 1000.0)
                .setCostUsd(result.cost().usd())
                .setCostTokens(result.cost().tokens())
                .setCostComputeS(result.cost().computeS())
                .setArtifactIds(result.artifacts().stream().map(PublishedArtifact::artifactId).toList())
                .setResultSummary(result.resultSummary())
                .setDecisionLog(result.decisionLog())
                .build();
        return envelope(attempt, ended, finished);
    }

    ArtifactCreated artifact(Attempt attempt, PublishedArtifact artifact, Instant now) {
        return ArtifactCreated.newBuilder()
                .setEventId(Ids.newUlid())
                .setOccurredAt(millis(now))
                .setArtifactId(artifact.artifactId())
                .setRunId(attempt.runId())
                .setIssueId(attempt.order().getIssueId())
                .setType(dev.cwom.events.ArtifactType.valueOf(artifact.type().value()))
                .setTitle(artifact.title())
                .setUri(artifact.uri())
                .setDigest(artifact.digest())
                .setMediaType(artifact.mediaType())
                .setSizeBytes(artifact.sizeBytes())
                .setPreview(artifact.preview())
                .build();
    }

    /** A work order that cannot be read, kept whole (bytes, headers, position) with the reason. */
    RecordRejected rejected(ConsumerRecord<byte[], byte[]> record, String reasonCode, String message,
            String groupId, Instant now) {
        List<Header> headers = new ArrayList<>();
        record.headers().forEach(h -> headers.add(new Header(h.key(), h.value() == null ? null : ByteBuffer.wrap(
                h.value()))));
        return RecordRejected.newBuilder()
                .setEventId(Ids.newUlid())
                .setOccurredAt(millis(now))
                .setSourceTopic(record.topic())
                .setSourcePartition(record.partition())
                .setSourceOffset(record.offset())
                .setOriginalKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setOriginalValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                .setHeaders(headers)
                .setReasonCode(reasonCode)
                .setMessage(message)
                .setDetails(Map.of("worker_id", workerId, "consumer_group", groupId))
                .build();
    }

    private RunEvent envelope(Attempt attempt, Instant at, Object payload) {
        return RunEvent.newBuilder()
                .setEventId(Ids.newUlid())
                .setOccurredAt(millis(at))
                .setRunId(attempt.runId())
                .setIssueId(attempt.order().getIssueId())
                .setRepoId(attempt.order().getRepoId())
                .setWorkerId(workerId)
                .setPayload(payload)
                .build();
    }

    private static Instant millis(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }
}
