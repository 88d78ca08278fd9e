package dev.cwom.worker.runs;

import dev.cwom.events.ArtifactCreated;
import dev.cwom.events.ExecutorInfo;
import dev.cwom.events.RecordRejected;
import dev.cwom.events.RecordRejections;
import dev.cwom.events.RunEvent;
import dev.cwom.events.RunEventMapping;
import dev.cwom.events.RunFinished;
import dev.cwom.events.RunHeartbeat;
import dev.cwom.events.RunMode;
import dev.cwom.events.RunOutcome;
import dev.cwom.events.RunStarted;
import dev.cwom.json.CanonicalJson;
import dev.cwom.model.FailureCategory;
import dev.cwom.model.Ref;
import dev.cwom.model.Run;
import dev.cwom.policy.PolicyDoctrine;
import dev.cwom.worker.execution.ExecutedRun;
import dev.cwom.worker.execution.PreparedRun;
import dev.cwom.worker.execution.PublishedArtifact;
import dev.cwom.worker.executors.ExecutionRequest;
import dev.cwom.worker.executors.Executor;
import dev.cwom.worker.executors.Pinned;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

/**
 * Builds the events the worker publishes: RunStarted, RunHeartbeat and RunFinished (envelope {@link RunEvent}, key =
 * run id), ArtifactCreated (key = run id) and RecordRejected for work orders that cannot be read. Every run event
 * carries the work order's attempt number, which orders the Issue's runs; RunStarted also puts it in the Run's
 * {@code meta.attempt}.
 */
final class RunEvents {

    /** This worker's software version, for the Run's executor toolchain (and so its attestation's builder). */
    private static final String VERSION = "cwom-worker/" + java.util.Objects.requireNonNullElse(
            RunEvents.class.getPackage().getImplementationVersion(), "dev");

    private final String workerId;

    RunEvents(String workerId) {
        this.workerId = workerId;
    }

    /** RunStarted, with the inputs pinned as the work order carries them (also when they were refused). */
    RunEvent started(Attempt attempt) {
        PreparedRun run = attempt.run();
        Executor executor = run.executor();
        boolean agent = executor.mode() == dev.cwom.model.RunMode.AGENT;
        Ref constraints = run.constraintSnapshot();
        RunStarted started = RunStarted.newBuilder()
                .setWorkOrderEventId(attempt.order().getEventId())
                .setMode(RunMode.valueOf(executor.mode().value()))
                .setExecutor(new ExecutorInfo(agent ? "agent" : "system", executor.name(),
                        "cwom worker " + workerId + ", executor " + executor.name(),
                        "java " + Runtime.version().feature(), List.of(VERSION)))
                .setContextPackets(run.contextPackets().stream().map(RunEventMapping::pinnedRef).toList())
                .setDoctrineRefs(run.doctrineRefs().stream().map(RunEventMapping::pinnedRef).toList())
                .setConstraintSnapshot(constraints == null ? null : RunEventMapping.pinnedRef(constraints))
                .setPlanSteps(List.of())
                .setPlanRiskNotes(List.of())
                .setStartedAt(millis(run.startedAt()))
                // The Issue's tags and meta are about the Issue and are pinned in the work order; copying them would
                // make them look like something said about this attempt. Who asked for it is about the attempt.
                .setTags(List.of())
                .setMetaJson(meta(attempt))
                .build();
        return envelope(attempt, run.startedAt(), started);
    }

    /**
     * The Run's meta: {@code requested_by}, the principal who made the Issue ready, {@code attempt} and, for a replay,
     * {@code replay_of}, as the work order says them, {@code policy_version}, the operator policy it pinned, and
     * {@code trace_id}, the trace the run belongs to.
     */
    private static @Nullable String meta(Attempt attempt) {
        Map<String, Object> meta = new TreeMap<>();
        String requestedBy = attempt.order().getRequestedBy();
        if (requestedBy != null) {
            meta.put(RunEventMapping.META_REQUESTED_BY, requestedBy);
        }
        // Who reads the Run later sees its pinned DoctrineRefs by id and digest only, not which one was the policy.
        ExecutionRequest request = attempt.run().request();
        if (request != null) {
            PolicyDoctrine.newest(request.doctrineRefs(), Pinned::value).ifPresent(policy ->
                    meta.put(RunEventMapping.META_POLICY_VERSION, policy.value().version()));
        }
        Integer number = attempt.order().getAttempt();
        if (number != null) {
            meta.put(RunEventMapping.META_ATTEMPT, number);
        }
        String replayOf = attempt.order().getReplayOf();
        if (replayOf != null) {
            meta.put(RunEventMapping.META_REPLAY_OF, replayOf);
        }
        String traceId = attempt.run().traceId();
        if (traceId != null) {
            meta.put(RunEventMapping.META_TRACE_ID, traceId);
        }
        return meta.isEmpty() ? null : CanonicalJson.write(meta);
    }

    RunEvent heartbeat(Attempt attempt, Instant now) {
        long seconds = Duration.between(attempt.startedAt(), now).toSeconds();
        return envelope(attempt, now, new RunHeartbeat("running for " + seconds + " s on " + workerId));
    }

    /**
     * RunFinished of an executed run, done, failed or canceled, listing its artifacts in the order they are
     * announced.
     */
    RunEvent finished(Attempt attempt, ExecutedRun run) {
        Run.Failure failure = run.failure();
        // an executed run is done, failed or canceled: the outcomes' names are the statuses' values
        return finished(attempt, RunOutcome.valueOf(run.status().value()), failure,
                run.endedAt(), run.cost(), run.artifacts().stream().map(PublishedArtifact::artifactId).toList(),
                run.resultSummary(), run.decisionLog());
    }

    /** RunFinished, failed, of a run that could not be executed or completed: no artifacts, no cost. */
    RunEvent failed(Attempt attempt, FailureCategory category, String message, Instant endedAt) {
        return finished(attempt, RunOutcome.failed, new Run.Failure(category, message), endedAt,
                new Run.Cost(null, null, null), List.of(), message, List.of(message));
    }

    private RunEvent finished(Attempt attempt, RunOutcome outcome, Run.@Nullable Failure failure, Instant endedAt,
            Run.Cost cost, List<String> artifactIds, @Nullable String summary, List<String> decisionLog) {
        Instant started = millis(attempt.startedAt());
        Instant ended = millis(endedAt.isBefore(started) ? started : endedAt);
        RunFinished finished = RunEventMapping.runFinished(outcome, failure, started, ended,
                Duration.between(started, ended).toMillis() / 1000.0, cost, artifactIds, summary, decisionLog);
        return envelope(attempt, ended, finished);
    }

    ArtifactCreated artifact(Attempt attempt, PublishedArtifact artifact, Instant now) {
        return RunEventMapping.artifactCreated(artifact.artifactId(), attempt.runId(), attempt.order().getIssueId(),
                attempt.order().getRepoId(), artifact.type(), artifact.title(), artifact.uri(), artifact.digest(), artifact.mediaType(),
                artifact.sizeBytes(), artifact.preview(), millis(now));
    }

    /** A work order that cannot be read, kept whole (bytes, headers, position) with the reason. */
    RecordRejected rejected(ConsumerRecord<byte[], byte[]> record, String reasonCode, String message,
            String groupId, Instant now) {
        return RecordRejections.of(record, record.key(), record.value(), Set.of(), reasonCode, message,
                Map.of("worker_id", workerId, "consumer_group", groupId), millis(now));
    }

    private RunEvent envelope(Attempt attempt, Instant at, SpecificRecord payload) {
        RunEvent event = RunEventMapping.runEvent(attempt.runId(), attempt.order().getIssueId(),
                attempt.order().getRepoId(), workerId, millis(at), payload);
        event.setAttempt(attempt.order().getAttempt());
        return event;
    }

    private static Instant millis(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }
}
