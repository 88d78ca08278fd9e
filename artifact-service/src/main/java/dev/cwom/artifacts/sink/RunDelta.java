package dev.cwom.artifacts.sink;

import dev.cwom.events.ArtifactCreated;
import dev.cwom.events.ExecutorInfo;
import dev.cwom.events.PinnedRef;
import dev.cwom.events.RunEvent;
import dev.cwom.events.RunEventMapping;
import dev.cwom.events.RunFinished;
import dev.cwom.events.RunHeartbeat;
import dev.cwom.events.RunStarted;
import dev.cwom.json.CwomJson;
import dev.cwom.model.Actor;
import dev.cwom.model.ActorKind;
import dev.cwom.model.Artifact;
import dev.cwom.model.FailureCategory;
import dev.cwom.model.Ref;
import dev.cwom.model.Run;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Everything one batch says about one run, folded by the same rules the database upsert applies (see
 * {@link RunRows}): the earliest {@code RunStarted} and the earliest {@code RunFinished} (by occurred_at, then
 * event id) win, the latest heartbeat counts, artifact refs are a set. These rules are commutative and
 * idempotent, so folding first and upserting once gives the row that applying each event alone would.
 */
final class RunDelta {

    private static final Comparator<RunEvent> EVENT_ORDER = Comparator.comparing(RunEvent::getOccurredAt)
            .thenComparing(RunEvent::getEventId);

    private final String runId;
    private @Nullable String issueId;
    private @Nullable String repoId;
    private @Nullable RunEvent started;
    private @Nullable RunEvent finished;
    private @Nullable Instant heartbeatAt;
    private @Nullable String workerId;
    private final TreeSet<String> artifactIds = new TreeSet<>();
    private @Nullable Instant firstEventAt;
    private @Nullable Instant lastEventAt;
    private @Nullable String lastEventId;

    RunDelta(String runId) {
        this.runId = runId;
    }

    void add(SinkEvent event) {
        switch (event) {
            case SinkEvent.RunEventReceived run -> add(run.event());
            case SinkEvent.ArtifactReceived artifact -> add(artifact.event());
        }
    }

    private void add(RunEvent event) {
        issueId = event.getIssueId();
        repoId = event.getRepoId();
        if (event.getWorkerId() != null && workerId == null) {
            workerId = event.getWorkerId();
        }
        switch (event.getPayload()) {
            case RunStarted s -> {
                started = earlier(started, event);
                beat(event.getOccurredAt());
            }
            case RunHeartbeat h -> beat(event.getOccurredAt());
            case RunFinished f -> {
                finished = earlier(finished, event);
                artifactIds.addAll(f.getArtifactIds());
            }
            default -> throw new IllegalStateException("RunEvent " + event.getEventId() + " has a payload of type "
                    + event.getPayload().getClass().getName() + " that this sink does not know; upgrade it");
        }
        seen(event.getOccurredAt(), event.getEventId());
    }

    private void add(ArtifactCreated event) {
        if (issueId == null) {
            issueId = event.getIssueId();
        }
        if (repoId == null) {
            repoId = event.getRepoId();
        }
        artifactIds.add(event.getArtifactId());
        seen(event.getOccurredAt(), event.getEventId());
    }

    private void beat(Instant at) {
        if (heartbeatAt == null || at.isAfter(heartbeatAt)) {
            heartbeatAt = at;
        }
    }

    private void seen(Instant at, String eventId) {
        if (firstEventAt == null || at.isBefore(firstEventAt)) {
            firstEventAt = at;
        }
        if (lastEventAt == null || at.isAfter(lastEventAt) || (at.equals(lastEventAt)
                && eventId.compareTo(lastEventId) > 0)) {
            lastEventAt = at;
            lastEventId = eventId;
        }
    }

    private static RunEvent earlier(@Nullable RunEvent current, RunEvent candidate) {
        return current == null || EVENT_ORDER.compare(candidate, current) < 0 ? candidate : current;
    }

    String runId() {
        return runId;
    }

    String issueId() {
        return java.util.Objects.requireNonNull(issueId);
    }

    /** Null only when the run was seen through artifacts from producers that did not name the repo. */
    @Nullable String repoId() {
        return repoId;
    }

    /** The status a new row gets; an existing row merges by the rules in {@link RunRows}. */
    String status() {
        if (finished != null) {
            return finishedPayload().getStatus().name();
        }
        return heartbeatAt != null ? "running" : "planned";
    }

    @Nullable String mode() {
        return started == null ? null : startedPayload().getMode().name();
    }

    @Nullable String executorJson() {
        if (started == null) {
            return null;
        }
        ExecutorInfo executor = startedPayload().getExecutor();
        Actor actor = new Actor(ActorKind.of(executor.getActorKind()), executor.getActorId(), executor.getDisplay());
        return json(new Run.Executor(actor, executor.getRuntime(), executor.getToolchain()));
    }

    @Nullable String inputsJson() {
        if (started == null) {
            return null;
        }
        RunStarted s = startedPayload();
        return json(new Run.Inputs(refs(s.getContextPackets()), refs(s.getDoctrineRefs()),
                s.getConstraintSnapshot() == null ? null : ref(s.getConstraintSnapshot())));
    }

    @Nullable String planJson() {
        return started == null ? null
                : json(new Run.Plan(startedPayload().getPlanSteps(), startedPayload().getPlanRiskNotes()));
    }

    /** The winning start's tags; null without a start (a new row then has none, an existing one keeps its own). */
    @Nullable String tagsJson() {
        return started == null ? null : json(startedPayload().getTags());
    }

    /** The winning start's meta, checked by the decoder; null without a start, as {@link #tagsJson()}. */
    @Nullable String metaJson() {
        return started == null ? null : json(RunEventMapping.meta(startedPayload().getMetaJson()));
    }

    String telemetryJson() {
        Instant startedAt = started != null ? startedPayload().getStartedAt()
                : finished != null ? finishedPayload().getStartedAt() : null;
        return json(new Run.Telemetry(startedAt, finished == null ? null : finishedPayload().getEndedAt(),
                finished == null ? null : finishedPayload().getDurationS()));
    }

    @Nullable String costJson() {
        if (finished == null) {
            return null;
        }
        RunFinished f = finishedPayload();
        return json(new Run.Cost(f.getCostUsd(), f.getCostTokens(), f.getCostComputeS()));
    }

    String outputsJson() {
        List<Ref> artifacts = artifactIds.stream().map(id -> Ref.to(Artifact.KIND, id)).toList();
        return json(new Run.Outputs(artifacts, finished == null ? null : finishedPayload().getResultSummary(),
                finished == null ? List.of() : finishedPayload().getDecisionLog()));
    }

    @Nullable String failureJson() {
        if (finished == null || finishedPayload().getFailure() == null) {
            return null;
        }
        dev.cwom.events.Failure failure = finishedPayload().getFailure();
        return json(new Run.Failure(FailureCategory.of(failure.getCategory().name()), failure.getMessage()));
    }

    @Nullable PinnedRef constraintSnapshot() {
        return started == null ? null : startedPayload().getConstraintSnapshot();
    }

    List<PinnedRef> contextPackets() {
        return started == null ? List.of() : startedPayload().getContextPackets();
    }

    List<PinnedRef> doctrineRefs() {
        return started == null ? List.of() : startedPayload().getDoctrineRefs();
    }

    @Nullable String workerId() {
        return started != null && started.getWorkerId() != null ? started.getWorkerId() : workerId;
    }

    @Nullable String workOrderEventId() {
        return started == null ? null : startedPayload().getWorkOrderEventId();
    }

    @Nullable Instant heartbeatAt() {
        return heartbeatAt;
    }

    @Nullable String startedEventId() {
        return started == null ? null : started.getEventId();
    }

    @Nullable Instant startedEventAt() {
        return started == null ? null : started.getOccurredAt();
    }

    @Nullable String terminalEventId() {
        return finished == null ? null : finished.getEventId();
    }

    @Nullable Instant terminalEventAt() {
        return finished == null ? null : finished.getOccurredAt();
    }

    @Nullable String lastEventId() {
        return lastEventId;
    }

    @Nullable Instant lastEventAt() {
        return lastEventAt;
    }

    Instant firstEventAt() {
        return java.util.Objects.requireNonNull(firstEventAt);
    }

    private RunStarted startedPayload() {
        return (RunStarted) java.util.Objects.requireNonNull(started).getPayload();
    }

    private RunFinished finishedPayload() {
        return (RunFinished) java.util.Objects.requireNonNull(finished).getPayload();
    }

    private static List<Ref> refs(List<PinnedRef> pinned) {
        return pinned.stream().map(RunDelta::ref).toList();
    }

    private static Ref ref(PinnedRef pinned) {
        return Ref.pinned(pinned.getKind(), pinned.getId(), pinned.getVersion(), pinned.getDigest());
    }

    private static String json(Object value) {
        return CwomJson.mapper().writeValueAsString(value);
    }
}
