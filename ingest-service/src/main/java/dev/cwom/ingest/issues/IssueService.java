package dev.cwom.ingest.issues;

import dev.cwom.ingest.constraints.ConstraintSnapshotService;
import dev.cwom.ingest.contextpackets.ContextPacketService;
import dev.cwom.ingest.doctrine.DoctrineRefService;
import dev.cwom.ingest.policy.PolicyGuard;
import dev.cwom.ingest.runs.RunService;
import dev.cwom.ingest.runs.RunSummary;
import dev.cwom.ingest.store.Created;
import dev.cwom.ingest.store.CwomRows;
import dev.cwom.ingest.store.CwomTables;
import dev.cwom.ingest.store.References;
import dev.cwom.ingest.problems.ApiProblem;
import dev.cwom.ingest.web.Page;
import dev.cwom.ingest.web.PageQuery;
import dev.cwom.ingest.web.RequestValidator;
import dev.cwom.model.ConstraintSnapshot;
import dev.cwom.model.ContextPacket;
import dev.cwom.model.DoctrineRef;
import dev.cwom.model.Issue;
import dev.cwom.model.Ref;
import dev.cwom.model.Repo;
import dev.cwom.model.Status;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Issues: created idempotently with their links (context packets, doctrine refs, constraint snapshot) in join
 * tables, read back with those links and their runs, and moved through the status rules of {@link IssueTransitions}.
 * Every way into {@code ready} publishes {@link IssueEvents.BecameReady} in the same transaction, every way into
 * {@code canceled} {@link IssueEvents.Canceled} (the other one is a canceled run, in {@code IssueRunStatus}), and
 * every way out of {@code ready} by a status change {@link IssueEvents.Withdrawn}; dispatch's outbox writes its row in
 * that transaction.
 */
@Service
public class IssueService {

    private static final String CONTEXT_PACKETS = "SELECT issue_id, context_packet_id, role "
            + "FROM cwom_issue_context_packets WHERE issue_id IN (:ids) ORDER BY issue_id, context_packet_id";
    private static final String DOCTRINE_REFS = "SELECT issue_id, doctrine_ref_id, role "
            + "FROM cwom_issue_doctrine_refs WHERE issue_id IN (:ids) ORDER BY issue_id, doctrine_ref_id";
    private static final String CURRENT_CONSTRAINTS = "SELECT DISTINCT ON (issue_id) issue_id, constraint_snapshot_id,"
            + " role FROM cwom_issue_constraint_snapshots WHERE issue_id IN (:ids)"
            + " ORDER BY issue_id, linked_at DESC, constraint_snapshot_id DESC";

    private final CwomRows rows;
    private final References references;
    private final RequestValidator validator;
    private final ApplicationEventPublisher events;
    private final ContextPacketService contextPackets;
    private final ConstraintSnapshotService constraintSnapshots;
    private final DoctrineRefService doctrineRefs;
    private final RunService runs;
    private final PolicyGuard policy;

    public IssueService(CwomRows rows, References references, RequestValidator validator, ApplicationEventPublisher events,
            ContextPacketService contextPackets, ConstraintSnapshotService constraintSnapshots,
            DoctrineRefService doctrineRefs, RunService runs, PolicyGuard policy) {
        this.rows = rows;
        this.references = references;
        this.validator = validator;
        this.events = events;
        this.contextPackets = contextPackets;
        this.constraintSnapshots = constraintSnapshots;
        this.doctrineRefs = doctrineRefs;
        this.runs = runs;
        this.policy = policy;
    }

    /** Creates the Issue and answers it as stored, with its links (the REST API's 201 or 200). */
    @Transactional
    public Created<Issue> create(Issue issue, @Nullable String traceId) {
        Created<String> stored = store(issue, traceId);
        return new Created<>(get(stored.object()), stored.created());
    }

    /**
     * {@link #create} answering only the id (and whether this call stored it): for writers that need no more (the
     * Kafka intake, the task bridge), which so save reading the Issue and its links back.
     */
    @Transactional
    public Created<String> store(Issue issue, @Nullable String traceId) {
        validator.validate(issue);
        if (!IssueTransitions.INITIAL.contains(issue.status())) {
            throw ApiProblem.invalid("$.status", "an Issue starts as planned, ready or blocked, not '"
                    + issue.status().value() + "'; create it, then PATCH /cwom/issues/{id}/status");
        }
        if (!issue.runs().isEmpty()) {
            throw ApiProblem.invalid("$.runs", "runs are recorded by the run pipeline, not submitted with an Issue; "
                    + "leave 'runs' out");
        }
        references.requireExisting(References.check()
                .ref("$.repo", issue.repo(), Repo.KIND)
                .refs("$.context_packets", issue.contextPackets(), ContextPacket.KIND)
                .refs("$.doctrine_refs", issue.doctrineRefs(), DoctrineRef.KIND)
                .ref("$.constraints", issue.constraints(), ConstraintSnapshot.KIND)
                .ref("$.relationships.parent", issue.relationships().parent(), Issue.KIND)
                .refs("$.relationships.blocks", issue.relationships().blocks(), Issue.KIND)
                .refs("$.relationships.blocked_by", issue.relationships().blockedBy(), Issue.KIND)
                .refs("$.relationships.duplicates", issue.relationships().duplicates(), Issue.KIND));
        Created<String> result = rows.store(CwomTables.ISSUES, issue, () -> new IllegalStateException(
                "cwom_issues has no unique key besides its id"));
        String id = result.object();
        if (result.created()) {
            issue.contextPackets().forEach(ref -> link("cwom_issue_context_packets", "context_packet_id", id, ref));
            issue.doctrineRefs().forEach(ref -> link("cwom_issue_doctrine_refs", "doctrine_ref_id", id, ref));
            if (issue.constraints() != null) {
                link("cwom_issue_constraint_snapshots", "constraint_snapshot_id", id, issue.constraints());
            }
            if (issue.status() == Status.READY) {
                // the links just written are the submitted ones: the Issue as submitted is the Issue as stored
                Instant now = CwomRows.now();
                becameReady((Issue) issue.withIdentity(id, now, now), traceId);
            }
        }
        return result;
    }

    /** The Issue with its links (context packets, doctrine refs, current constraint snapshot, runs) as Refs. */
    @Transactional(readOnly = true)
    public Issue get(String id) {
        Issue issue = rows.find(CwomTables.ISSUES, id, Issue.class).orElseThrow(() -> ApiProblem.notFound(Issue.KIND, id));
        return withLinks(List.of(issue)).getFirst();
    }

    @Transactional(readOnly = true)
    public IssueDetail detail(String id) {
        Issue issue = get(id);
        List<ContextPacket> packets = issue.contextPackets().stream().map(ref -> contextPackets.get(ref.id())).toList();
        ConstraintSnapshot snapshot = issue.constraints() == null ? null : constraintSnapshots.get(issue.constraints().id());
        List<DoctrineRef> doctrine = issue.doctrineRefs().stream().map(ref -> doctrineRefs.get(ref.id())).toList();
        List<RunSummary> runSummaries = runs.summariesForIssue(id);
        return new IssueDetail(issue, packets, snapshot, doctrine, runSummaries);
    }

    /** Issues by repo, status, type and priority (each optional, already checked), in id order. */
    @Transactional(readOnly = true)
    public Page<Issue> list(@Nullable String repoId, @Nullable String status, @Nullable String type,
            @Nullable String priority, PageQuery page) {
        List<Issue> found = rows.list(CwomTables.ISSUES, CwomRows.filters("repo_id", repoId, "status", status,
                "type", type, "priority", priority), page.cursor(), page.limit() + 1, Issue.class);
        return Page.of(withLinks(found), page, Issue::id);
    }

    /**
     * Moves the Issue to {@code target} when the rules allow it (409 listing the allowed statuses otherwise);
     * setting the current status again changes nothing. Leaving {@code ready} for a status that is not final withdraws
     * the work orders dispatched so far ({@link WorkOrderOutbox#issueWithdrawn}). {@code reason} is kept only for a
     * cancellation or a withdrawal.
     */
    @Transactional
    public Issue changeStatus(String id, Status target, @Nullable String reason, @Nullable String traceId) {
        Status current = rows.jdbc().sql("SELECT status FROM cwom_issues WHERE id = :id FOR UPDATE").param("id", id)
                .query(String.class).optional().map(Status::of)
                .orElseThrow(() -> ApiProblem.notFound(Issue.KIND, id));
        if (current == target) {
            return get(id);
        }
        if (!IssueTransitions.isAllowed(current, target)) {
            List<String> allowed = IssueTransitions.allowedFrom(current).stream().map(Status::value).toList();
            throw new ApiProblem(HttpStatus.CONFLICT, "ILLEGAL_TRANSITION", "Issue '" + id + "' cannot go from "
                    + current.value() + " to " + target.value() + "; "
                    + (allowed.isEmpty() ? current.value() + " is final: create a new Issue instead"
                            : "allowed from " + current.value() + ": " + String.join(", ", allowed)),
                    Map.of("from", current.value(), "to", target.value(), "allowed", allowed));
        }
        Instant now = CwomRows.now();
        rows.jdbc().sql("UPDATE cwom_issues SET status = :status, updated_at = :now WHERE id = :id")
                .param("status", target.value()).param("now", java.sql.Timestamp.from(now)).param("id", id)
                .update();
        String why = reason == null || reason.isBlank() ? null : reason;
        if (target == Status.READY) {
            becameReady(get(id), traceId);
        } else if (target == Status.CANCELED) {
            events.publishEvent(new IssueEvents.Canceled(id, now, why, traceId));
        } else if (current == Status.READY && target != Status.DONE) {
            // the work order handed out while it was ready no longer stands: workers skip or stop it, and its run
            // does not move the Issue away from the status it was moved to now
            events.publishEvent(new IssueEvents.Withdrawn(id, now,
                    why != null ? why : "Issue left ready for " + target.value(), traceId));
        }
        return get(id);
    }

    /**
     * The operator's policy admits it (or the 422 rolls the whole request back), then the outbox row. Reads what the
     * policy looks at (the Issue's context packets and constraint snapshot) and nothing else: the relay reads it all
     * when it builds the work order.
     */
    private void becameReady(Issue issue, @Nullable String traceId) {
        String id = Objects.requireNonNull(issue.id());
        List<ContextPacket> packets = issue.contextPackets().stream().map(ref -> contextPackets.get(ref.id())).toList();
        ConstraintSnapshot snapshot = issue.constraints() == null ? null
                : constraintSnapshots.get(issue.constraints().id());
        PolicyGuard.Admission admission = policy.admitReady(issue, packets, snapshot);
        events.publishEvent(new IssueEvents.BecameReady(id, traceId, admission.requestedBy(),
                admission.policy().id()));
    }

    private void link(String table, String column, String issueId, Ref ref) {
        rows.link(table, "issue_id", issueId, column, ref);
    }

    private List<Issue> withLinks(List<Issue> issues) {
        List<String> ids = issues.stream().map(Issue::id).filter(Objects::nonNull).toList();
        Map<String, List<Ref>> packets = rows.joinedRefs(CONTEXT_PACKETS, ContextPacket.KIND, ids);
        Map<String, List<Ref>> doctrine = rows.joinedRefs(DOCTRINE_REFS, DoctrineRef.KIND, ids);
        Map<String, List<Ref>> constraints = rows.joinedRefs(CURRENT_CONSTRAINTS, ConstraintSnapshot.KIND, ids);
        Map<String, List<Ref>> issueRuns = runs.refsOfIssues(ids);
        return issues.stream().map(issue -> issue.withRelated(
                packets.getOrDefault(issue.id(), List.of()),
                doctrine.getOrDefault(issue.id(), List.of()),
                constraints.getOrDefault(issue.id(), List.of()).stream().findFirst().orElse(null),
                issueRuns.getOrDefault(issue.id(), List.of()))).toList();
    }
}
