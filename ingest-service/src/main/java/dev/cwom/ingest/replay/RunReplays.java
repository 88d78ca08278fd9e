package dev.cwom.ingest.replay;

import dev.cwom.events.PinnedInput;
import dev.cwom.ingest.dispatch.DispatchedInputs;
import dev.cwom.ingest.dispatch.WorkOrderOutbox;
import dev.cwom.ingest.dispatch.WorkOrders;
import dev.cwom.ingest.issues.IssueService;
import dev.cwom.ingest.policy.PolicyGuard;
import dev.cwom.ingest.problems.ApiProblem;
import dev.cwom.ingest.runs.RunService;
import dev.cwom.ingest.sinkcontract.SinkContract;
import dev.cwom.json.CwomJson;
import dev.cwom.model.ConstraintSnapshot;
import dev.cwom.model.ContextPacket;
import dev.cwom.model.DoctrineRef;
import dev.cwom.model.Issue;
import dev.cwom.model.Ref;
import dev.cwom.model.Run;
import dev.cwom.model.Status;
import dev.cwom.policy.PolicyDoctrine;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Starts replays of Runs. The original's inputs are the ones its work order carried ({@link DispatchedInputs}, found
 * through the work order event id artifact-service publishes for the run), so a replay sees the same canonical JSON
 * with the same digests even after its Issue moved on; only Runs that a worker ran from a recorded work order can be
 * replayed that way (a Run reported over REST only on the current inputs, compared with its own pinned ones). The
 * replay is admitted by the current operator policy as a dispatch is: what the original's
 * policy version allowed but today's forbids is a 422 naming the violations. Each replay is a new attempt of the
 * Issue, dispatched through the outbox in this transaction.
 */
@Service
public class RunReplays {

    /** Replay on the inputs the original's work order carried. */
    public static final String ORIGINAL = "original";
    /** Replay on the inputs as they are stored now. */
    public static final String CURRENT = "current";

    private static final int MAX_KEY_LENGTH = 200;

    private final JdbcClient jdbc;
    private final RunService runs;
    private final SinkContract sink;
    private final IssueService issues;
    private final DispatchedInputs dispatched;
    private final WorkOrders workOrders;
    private final WorkOrderOutbox outbox;
    private final PolicyGuard policy;

    public RunReplays(JdbcClient jdbc, RunService runs, SinkContract sink, IssueService issues,
            DispatchedInputs dispatched, WorkOrders workOrders, WorkOrderOutbox outbox, PolicyGuard policy) {
        this.jdbc = jdbc;
        this.runs = runs;
        this.sink = sink;
        this.issues = issues;
        this.dispatched = dispatched;
        this.workOrders = workOrders;
        this.outbox = outbox;
        this.policy = policy;
    }

    /** A replay as answered, and whether it was started now (false: a repeat under the same idempotency key). */
    public record Started(ReplayAnswer answer, boolean created) {
    }

    /**
     * Replays Run {@code runId}.
     *
     * @param inputs {@link #ORIGINAL} or {@link #CURRENT}
     * @param idempotencyKey when given, a repeat with the same key, run and inputs answers the first replay and starts
     *     nothing; with another run or inputs it is a 409 {@code IDEMPOTENCY_KEY_REUSED}
     */
    @Transactional
    public Started replay(String runId, String inputs, @Nullable String idempotencyKey, @Nullable String traceId) {
        if (idempotencyKey != null) {
            if (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_KEY_LENGTH) {
                throw ApiProblem.invalid("$.idempotency_key", "must be 1.." + MAX_KEY_LENGTH
                        + " characters and not blank");
            }
            // two concurrent requests with one key: the second waits here, then finds the first's replay
            jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('cwom.replay:' || :key))").param("key", idempotencyKey)
                    .query(Object.class).single();
            Optional<Started> repeat = repeat(idempotencyKey, runId, inputs);
            if (repeat.isPresent()) {
                return repeat.get();
            }
        }
        Run run = runs.stored(runId, "replayed");
        String issueId = run.forIssue().id();
        Issue issue = issues.get(issueId);
        if (issue.status() == Status.CANCELED) {
            throw ApiProblem.conflict("ISSUE_CANCELED", "Run '" + runId + "' belongs to Issue '" + issueId
                    + "', which is canceled: workers run nothing of a canceled Issue, so it cannot be replayed",
                    Map.of("issue_id", issueId));
        }
        List<PinnedInput> original = originalInputs(runId, CURRENT.equals(inputs));
        List<PinnedInput> carried = ORIGINAL.equals(inputs) ? original : workOrders.currentInputs(issueId, null);
        PolicyGuard.Admission admission = admit(carried, runId);
        PinnedInput policyInput = carried.stream()
                .filter(i -> DoctrineRef.KIND.equals(i.getKind()) && PolicyDoctrine.isPolicy(
                        WorkOrders.parse(i, DoctrineRef.class)))
                .findFirst().orElseThrow(() -> new IllegalStateException("the inputs of run " + runId
                        + " hold no operator policy version"));
        WorkOrderOutbox.Dispatch dispatch = outbox.replay(issueId, runId, traceId, admission.requestedBy(),
                policyInput.getId(), carried);
        ReplayAnswer answer = new ReplayAnswer(runId, issueId, dispatch.attempt(), dispatch.eventId(), inputs,
                admission.requestedBy(), ref(policyInput), carried.stream().map(RunReplays::ref).toList(),
                CURRENT.equals(inputs) ? differences(original.isEmpty() ? pinnedByRun(run) : refs(original),
                        refs(carried)) : null);
        jdbc.sql("""
                        INSERT INTO ingest_replays (event_id, run_id, issue_id, inputs, idempotency_key, requested_by,
                            answer, created_at)
                        VALUES (:event, :run, :issue, :inputs, :key, :by, CAST(:answer AS jsonb), :at)""")
                .param("event", dispatch.eventId()).param("run", runId).param("issue", issueId)
                .param("inputs", inputs).param("key", idempotencyKey).param("by", admission.requestedBy())
                .param("answer", CwomJson.mapper().writeValueAsString(answer))
                .param("at", Timestamp.from(Instant.now())).update();
        return new Started(answer, true);
    }

    private Optional<Started> repeat(String key, String runId, String inputs) {
        return jdbc.sql("SELECT event_id, run_id, inputs, answer::text FROM ingest_replays WHERE idempotency_key = :key")
                .param("key", key)
                .query((rs, n) -> {
                    if (!runId.equals(rs.getString("run_id")) || !inputs.equals(rs.getString("inputs"))) {
                        throw new ApiProblem(HttpStatus.CONFLICT, "IDEMPOTENCY_KEY_REUSED", "idempotency_key '" + key
                                + "' was used for the replay of run " + rs.getString("run_id") + " with inputs="
                                + rs.getString("inputs") + "; use a new key for another replay",
                                Map.of("replay_work_order_event_id", rs.getString("event_id"),
                                        "replay_of", rs.getString("run_id")));
                    }
                    return new Started(CwomJson.mapper().readValue(rs.getString(4), ReplayAnswer.class), false);
                })
                .optional();
    }

    /**
     * What the run's work order carried; when nothing is recorded for it, a 409 {@code NOT_REPLAYABLE}, or nothing
     * when {@code orNothing} (a replay on the current inputs, compared with the Run's own pinned inputs then).
     */
    private List<PinnedInput> originalInputs(String runId, boolean orNothing) {
        SinkContract.RunOrigin origin = sink.runOrigin(runId).orElseThrow();
        List<PinnedInput> inputs = origin.workOrderEventId() == null ? List.of()
                : dispatched.of(origin.workOrderEventId());
        if (!inputs.isEmpty() || orNothing) {
            return inputs;
        }
        if (origin.workOrderEventId() == null) {
            throw ApiProblem.conflict("NOT_REPLAYABLE", "Run '" + runId + "' was reported over REST, not run from a "
                    + "work order: there are no carried inputs to replay. Make its Issue ready for a new attempt "
                    + "instead", Map.of("id", runId));
        }
        throw ApiProblem.conflict("NOT_REPLAYABLE", "Run '" + runId + "' ran work order "
                + origin.workOrderEventId() + ", dispatched before ingest kept what work orders carried: its "
                + "inputs cannot be replayed exactly. Replay it with ?inputs=current, or make its Issue ready "
                + "for a new attempt", Map.of("id", runId, "work_order_event_id", origin.workOrderEventId()));
    }

    /** The Run's own pinned inputs: its ContextPackets, ConstraintSnapshot and DoctrineRefs. */
    private static List<Ref> pinnedByRun(Run run) {
        List<Ref> refs = new ArrayList<>(run.inputs().contextPackets());
        if (run.inputs().constraintSnapshot() != null) {
            refs.add(run.inputs().constraintSnapshot());
        }
        refs.addAll(run.inputs().doctrineRefs());
        return refs;
    }

    private static List<Ref> refs(List<PinnedInput> inputs) {
        return inputs.stream().map(RunReplays::ref).toList();
    }

    /** The current policy's verdict on the Issue, ContextPackets and ConstraintSnapshot the replay carries. */
    private PolicyGuard.Admission admit(List<PinnedInput> carried, String runId) {
        Issue issue = WorkOrders.parse(WorkOrders.only(carried, Issue.KIND), Issue.class);
        List<ContextPacket> packets = new ArrayList<>();
        ConstraintSnapshot snapshot = null;
        for (PinnedInput input : carried) {
            if (ContextPacket.KIND.equals(input.getKind())) {
                packets.add(WorkOrders.parse(input, ContextPacket.class));
            } else if (ConstraintSnapshot.KIND.equals(input.getKind())) {
                snapshot = WorkOrders.parse(input, ConstraintSnapshot.class);
            }
        }
        return policy.admitReady(issue, packets, snapshot, "Run " + runId + " cannot be replayed: the policy in force"
                + " forbids what its inputs ask for");
    }

    /** Every input whose digest differs, by (kind, id), in the original's order and then the new ones. */
    static List<ReplayAnswer.Difference> differences(List<Ref> original, List<Ref> current) {
        Map<String, Ref> now = new LinkedHashMap<>();
        current.forEach(input -> now.put(input.kind() + "/" + input.id(), input));
        List<ReplayAnswer.Difference> differs = new ArrayList<>();
        for (Ref before : original) {
            Ref after = now.remove(before.kind() + "/" + before.id());
            if (after == null || !Objects.equals(after.digest(), before.digest())) {
                differs.add(new ReplayAnswer.Difference(before.kind(), before.id(), before.digest(),
                        after == null ? null : after.digest()));
            }
        }
        now.values().forEach(added -> differs.add(new ReplayAnswer.Difference(added.kind(), added.id(), null,
                added.digest())));
        return differs;
    }

    private static Ref ref(PinnedInput input) {
        return Ref.pinned(input.getKind(), input.getId(), input.getVersion(), input.getDigest());
    }
}
