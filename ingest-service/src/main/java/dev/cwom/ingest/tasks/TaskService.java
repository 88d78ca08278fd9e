package dev.cwom.ingest.tasks;

import dev.cwom.ingest.artifacts.ArtifactService;
import dev.cwom.ingest.attempts.IssueAttempts;
import dev.cwom.ingest.constraints.ConstraintSnapshotService;
import dev.cwom.ingest.contextpackets.ContextPacketService;
import dev.cwom.ingest.issues.IssueService;
import dev.cwom.ingest.repos.RepoService;
import dev.cwom.ingest.runs.RunService;
import dev.cwom.ingest.runs.RunSummary;
import dev.cwom.ingest.problems.ApiProblem;
import dev.cwom.ingest.web.Page;
import dev.cwom.ingest.web.PageQuery;
import dev.cwom.ingest.web.RequestValidator;
import dev.cwom.json.CanonicalJson;
import dev.cwom.json.CwomJson;
import dev.cwom.json.Digests;
import dev.cwom.model.ConstraintSnapshot;
import dev.cwom.model.ContextPacket;
import dev.cwom.model.Ids;
import dev.cwom.model.Issue;
import dev.cwom.model.Repo;
import java.sql.Timestamp;
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
 * {@code /tasks}: admits a task through the policy gate and maps it to Repo + ConstraintSnapshot + Issue (ready) +
 * ContextPacket in one transaction, linked to the stored task; answers the task view of its Issue.
 *
 * <p>Idempotency: the task row is inserted first with {@code ON CONFLICT (idempotency_key) DO NOTHING}. A concurrent
 * request with the same key waits on the unique index until the first commits, then finds its row: one task, one
 * Issue. The normalised payload's digest decides between "same request" (200, the original task) and "key reused for
 * another request" (409).
 */
@Service
public class TaskService {

    private static final String SELECT = "SELECT id, cwom_issue_id, idempotency_key, trace_id, created_at FROM tasks ";

    private final JdbcClient jdbc;
    private final RequestValidator validator;
    private final TaskPolicy policy;
    private final RepoService repos;
    private final IssueService issues;
    private final ContextPacketService contextPackets;
    private final ConstraintSnapshotService constraintSnapshots;
    private final RunService runs;
    private final ArtifactService artifacts;
    private final IssueAttempts attempts;

    public TaskService(JdbcClient jdbc, RequestValidator validator, TaskPolicy policy, RepoService repos,
            IssueService issues, ContextPacketService contextPackets, ConstraintSnapshotService constraintSnapshots,
            RunService runs, ArtifactService artifacts, IssueAttempts attempts) {
        this.jdbc = jdbc;
        this.validator = validator;
        this.policy = policy;
        this.repos = repos;
        this.issues = issues;
        this.contextPackets = contextPackets;
        this.constraintSnapshots = constraintSnapshots;
        this.runs = runs;
        this.artifacts = artifacts;
        this.attempts = attempts;
    }

    /** The outcome of an enqueue: the task view, and whether this request created the task. */
    public record Enqueued(TaskView task, boolean created) {
    }

    @Transactional
    public Enqueued enqueue(TaskRequest request, @Nullable String traceId) {
        validator.validate(request);
        Task task = policy.admit(request);
        String payload = CanonicalJson.write(CwomJson.mapper().valueToTree(task));
        String payloadHash = Digests.sha256(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String taskId = Ids.newUlid();
        int inserted = jdbc.sql("""
                        INSERT INTO tasks (id, idempotency_key, payload, payload_hash, operation, repo_slug, requested_by,
                                           trace_id, created_at)
                        VALUES (:id, :key, CAST(:payload AS jsonb), :hash, :operation, :repo,
                                CAST(:requestedBy AS jsonb), :traceId, :createdAt)
                        ON CONFLICT (idempotency_key) DO NOTHING""")
                .param("id", taskId).param("key", request.idempotencyKey()).param("payload", payload)
                .param("hash", payloadHash).param("operation", task.operation().value()).param("repo", task.repo())
                .param("requestedBy", CwomJson.mapper().writeValueAsString(task.requestedBy()))
                .param("traceId", traceId).param("createdAt", Timestamp.from(dev.cwom.ingest.store.CwomRows.now()))
                .update();
        if (inserted == 0) {
            return new Enqueued(existing(Objects.requireNonNull(request.idempotencyKey()), payloadHash), false);
        }
        String repoId = Objects.requireNonNull(repos.findOrCreateBySlug(task.repo()).id());
        String snapshotId = constraintSnapshots.store(TaskAdapter.snapshot(task, taskId)).object();
        String issueId = issues.store(TaskAdapter.issue(task, taskId, repoId, snapshotId, traceId), traceId).object();
        contextPackets.store(TaskAdapter.packet(task, taskId, issueId, snapshotId));
        jdbc.sql("UPDATE tasks SET cwom_issue_id = :issue WHERE id = :id").param("issue", issueId).param("id", taskId)
                .update();
        return new Enqueued(get(taskId), true);
    }

    @Transactional(readOnly = true)
    public TaskView get(String id) {
        return jdbc.sql(SELECT + "WHERE id = :id").param("id", id).query(TaskService::row).optional()
                .map(this::view).orElseThrow(() -> ApiProblem.notFound("Task", id));
    }

    @Transactional(readOnly = true)
    public Page<TaskView> list(PageQuery page) {
        List<TaskAdapter.StoredTask> rows = jdbc.sql(SELECT + "WHERE (CAST(:cursor AS text) IS NULL OR id > :cursor) "
                        + "ORDER BY id LIMIT :limit")
                .param("cursor", page.cursor()).param("limit", page.limit() + 1).query(TaskService::row).list();
        return Page.of(rows, page, TaskAdapter.StoredTask::id).map(this::view);
    }

    private TaskView existing(String key, String payloadHash) {
        record Existing(String id, String hash) {
        }
        Existing found = jdbc.sql("SELECT id, payload_hash FROM tasks WHERE idempotency_key = :key").param("key", key)
                .query((rs, n) -> new Existing(rs.getString(1), rs.getString(2))).single();
        if (!found.hash().equals(payloadHash)) {
            throw new ApiProblem(HttpStatus.CONFLICT, "IDEMPOTENCY_KEY_REUSED", "idempotency_key '" + key
                    + "' was used for another request (task '" + found.id() + "'); a key names one request: resend "
                    + "that request unchanged, or use a new key for a new task",
                    Map.of("existing_task_id", found.id()));
        }
        return get(found.id());
    }

    private TaskView view(TaskAdapter.StoredTask stored) {
        Issue issue = issues.get(stored.cwomIssueId());
        Repo repo = repos.get(issue.repo().id());
        ConstraintSnapshot snapshot = issue.constraints() == null ? null : constraintSnapshots.get(issue.constraints().id());
        ContextPacket packet = issue.contextPackets().stream().findFirst().map(ref -> contextPackets.get(ref.id()))
                .orElse(null);
        // the latest attempt as ingest numbered them, not the highest run id (a REST client chooses its run's id);
        // Issue.runs also lists runs only ingest knows so far (from their events): summarise what exists, never 404
        Optional<RunSummary> latest = attempts.latestRun(issue.id())
                .or(() -> issue.runs().isEmpty() ? Optional.empty() : Optional.of(issue.runs().getLast().id()))
                .flatMap(runs::summary);
        return TaskAdapter.view(stored, issue, repo, snapshot, packet, latest.orElse(null),
                latest.map(run -> artifacts.allForRun(run.id())).orElse(List.of()));
    }

    private static TaskAdapter.StoredTask row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new TaskAdapter.StoredTask(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getTimestamp(5).toInstant());
    }
}
