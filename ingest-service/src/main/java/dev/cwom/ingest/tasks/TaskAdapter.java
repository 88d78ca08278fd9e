package dev.cwom.ingest.tasks;

import dev.cwom.ingest.runs.RunSummary;
import dev.cwom.json.CanonicalJson;
import dev.cwom.json.CwomJson;
import dev.cwom.policy.PolicyCheck;
import dev.cwom.model.Actor;
import dev.cwom.model.Artifact;
import dev.cwom.model.Connectivity;
import dev.cwom.model.ConstraintScope;
import dev.cwom.model.ConstraintSnapshot;
import dev.cwom.model.ContextPacket;
import dev.cwom.model.Issue;
import dev.cwom.model.Priority;
import dev.cwom.model.Ref;
import dev.cwom.model.Repo;
import dev.cwom.model.Status;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;

/**
 * The seed's task mapping, both ways. To CWOM: objective -> Issue description, title and acceptance criterion;
 * operation -> Issue type; target -> Repo (by slug) and Issue.repo, ref and path in the Issue's meta; constraints ->
 * a ConstraintSnapshot of scope run (available_minutes = budget / 60, connectivity ok or offline); inputs -> the
 * ContextPacket's inputs as one inline JSON data blob; requested_by -> the Actor watching the Issue and owning the
 * snapshot. Back: {@link #view} rebuilds the task from those objects.
 */
final class TaskAdapter {

    /** The name of the data blob that carries a task's inputs in its ContextPacket. */
    static final String INPUTS_BLOB = "task.inputs";
    static final String CONTEXT_VERSION = "1";
    private static final int TITLE_LENGTH = 120;

    private TaskAdapter() {
    }

    static ConstraintSnapshot snapshot(Task task, String taskId) {
        var time = new ConstraintSnapshot.Time(task.timeBudgetSeconds() / 60.0, null);
        var environment = new ConstraintSnapshot.Environment(null,
                task.allowNetwork() ? Connectivity.OK : Connectivity.OFFLINE, null);
        var constraints = new ConstraintSnapshot.Constraints(time, null, null, null, null, environment, null);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("task_id", taskId);
        meta.put("time_budget_seconds", task.timeBudgetSeconds());
        meta.put(PolicyCheck.META_ALLOW_NETWORK, task.allowNetwork());
        meta.put(PolicyCheck.META_ALLOW_SECRETS, task.allowSecrets());
        return new ConstraintSnapshot(null, null, ConstraintScope.RUN, null, task.requestedBy(), constraints, null,
                meta, null, null);
    }

    static Issue issue(Task task, String taskId, String repoId, String snapshotId, @Nullable String traceId) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("source", "tasks");
        meta.put("task_id", taskId);
        meta.put("target_ref", task.ref());
        if (task.path() != null) {
            meta.put("target_path", task.path());
        }
        if (traceId != null) {
            meta.put("trace_id", traceId);
        }
        return new Issue(null, null, Ref.to(Repo.KIND, repoId), title(task.objective()), task.objective(),
                task.operation().issueType(), Priority.P2, Status.READY, null, List.of(task.requestedBy()), null,
                Ref.to(ConstraintSnapshot.KIND, snapshotId), null,
                new Issue.Acceptance(List.of(task.objective()), null), null, null, List.of("task"), meta, null, null);
    }

    static ContextPacket packet(Task task, String taskId, String issueId, String snapshotId) {
        List<ContextPacket.DataBlob> blobs = task.inputs().isEmpty() ? List.of()
                : List.of(new ContextPacket.DataBlob(INPUTS_BLOB, "application/json", null,
                        CanonicalJson.write(task.inputs()), null));
        return new ContextPacket(null, null, Ref.to(Issue.KIND, issueId), CONTEXT_VERSION, title(task.objective()),
                new ContextPacket.Inputs(null, blobs, null), null, null, task.objective(), null,
                Ref.to(ConstraintSnapshot.KIND, snapshotId), null, Map.of("task_id", taskId), null, null);
    }

    /** The reverse mapping: the task as its CWOM objects tell it. */
    static TaskView view(StoredTask stored, Issue issue, Repo repo, @Nullable ConstraintSnapshot snapshot,
            @Nullable ContextPacket packet, @Nullable RunSummary latestRun, List<Artifact> artifacts) {
        Actor requester = issue.watchers().isEmpty() ? null : issue.watchers().getFirst();
        return new TaskView(stored.id(), stored.cwomIssueId(), issue.status(),
                issue.description() == null ? issue.title() : issue.description(),
                TaskOperation.forIssueType(issue.type()).orElse(null),
                new TaskView.Target(repo.slug(), text(issue.meta().get("target_ref")),
                        text(issue.meta().get("target_path"))),
                constraints(snapshot), inputs(packet),
                requester == null ? null
                        : new TaskView.RequestedBy(requester.actorKind().value(), requester.actorId(), requester.display()),
                stored.idempotencyKey(), stored.traceId(), stored.createdAt(), latestRun, artifacts);
    }

    private static TaskView.Constraints constraints(@Nullable ConstraintSnapshot snapshot) {
        if (snapshot == null) {
            return new TaskView.Constraints(null, false, false);
        }
        var time = snapshot.constraints().time();
        Integer budget = time == null || time.availableMinutes() == null ? null
                : (int) Math.round(time.availableMinutes() * 60);
        var environment = snapshot.constraints().environment();
        boolean network = environment != null && environment.connectivity() != null
                && environment.connectivity() != Connectivity.OFFLINE;
        boolean secrets = Boolean.TRUE.equals(snapshot.meta().get("allow_secrets"));
        return new TaskView.Constraints(budget, network, secrets);
    }

    private static Map<String, Object> inputs(@Nullable ContextPacket packet) {
        if (packet == null) {
            return Map.of();
        }
        return packet.inputs().dataBlobs().stream()
                .filter(blob -> INPUTS_BLOB.equals(blob.name()) && blob.inline() != null)
                .findFirst()
                .map(blob -> CwomJson.mapper().readValue(blob.inline(), new TypeReference<Map<String, Object>>() { }))
                .orElse(Map.of());
    }

    private static String title(String objective) {
        String firstLine = objective.lines().findFirst().orElse(objective).trim();
        return firstLine.length() <= TITLE_LENGTH ? firstLine : firstLine.substring(0, TITLE_LENGTH - 1) + "…";
    }

    private static @Nullable String text(@Nullable Object value) {
        return value == null ? null : value.toString();
    }

    /** A row of the tasks table. */
    record StoredTask(String id, String cwomIssueId, @Nullable String idempotencyKey, @Nullable String traceId,
            Instant createdAt) {
    }
}
