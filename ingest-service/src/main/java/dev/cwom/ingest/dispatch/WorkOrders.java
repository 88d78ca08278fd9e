package dev.cwom.ingest.dispatch;

import dev.cwom.events.PinnedInput;
import dev.cwom.events.WorkOrder;
import dev.cwom.ingest.doctrine.DoctrineRefService;
import dev.cwom.ingest.issues.IssueDetail;
import dev.cwom.ingest.issues.IssueService;
import dev.cwom.ingest.policy.PolicyStore;
import dev.cwom.ingest.repos.RepoService;
import dev.cwom.json.CanonicalJson;
import dev.cwom.json.CwomJson;
import dev.cwom.json.Digests;
import dev.cwom.model.CwomObject;
import dev.cwom.model.DoctrineRef;
import dev.cwom.model.Issue;
import dev.cwom.model.Repo;
import dev.cwom.policy.ExecutorChoice;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Builds the self-contained work order of a ready Issue from what is stored now: the Repo, the Issue, its context
 * packets, its current constraint snapshot and its doctrine refs, each pinned with the sha256 of its canonical JSON,
 * or, for a replay, from the inputs its original carried. The digest is computed on exactly the string that travels,
 * which is what the worker hashes again.
 */
@Component
public class WorkOrders {

    private final IssueService issues;
    private final RepoService repos;
    private final DoctrineRefService doctrineRefs;
    private final PolicyStore policies;
    private final DispatchedInputs dispatched;

    public WorkOrders(IssueService issues, RepoService repos, DoctrineRefService doctrineRefs, PolicyStore policies,
            DispatchedInputs dispatched) {
        this.dispatched = dispatched;
        this.issues = issues;
        this.repos = repos;
        this.doctrineRefs = doctrineRefs;
        this.policies = policies;
    }

    /**
     * The work order for outbox event {@code eventId} of Issue {@code issueId}; call inside a transaction. Its inputs
     * are the ones recorded for the event ({@link DispatchedInputs}: by a replay, or by an earlier build of the same
     * row), else what is stored now, which is then recorded; its summary fields come from the pinned Issue and Repo.
     *
     * @param requestedBy the principal who made the Issue ready; null for rows written before it was recorded
     * @param policyRefId the operator policy version the Issue was admitted under, pinned as a DoctrineRef; for rows
     *     written before it was recorded, the version in force now
     * @param attempt the attempt number the dispatch took; null for rows written before attempts were numbered
     * @param replayOf the Run this dispatch replays; null for an ordinary dispatch
     */
    public WorkOrder build(String eventId, String issueId, @Nullable String traceId, Instant occurredAt,
            @Nullable String requestedBy, @Nullable String policyRefId, @Nullable Integer attempt,
            @Nullable String replayOf) {
        List<PinnedInput> inputs = dispatched.of(eventId);
        if (inputs.isEmpty()) {
            inputs = dispatched.record(eventId, currentInputs(issueId, policyRefId));
        }
        Issue issue = parse(only(inputs, Issue.KIND), Issue.class);
        Repo repo = parse(only(inputs, Repo.KIND), Repo.class);
        return WorkOrder.newBuilder()
                .setEventId(eventId)
                .setOccurredAt(occurredAt)
                .setTraceId(traceId)
                .setIssueId(issueId)
                .setRepoId(Objects.requireNonNull(repo.id()))
                .setRepoSlug(repo.slug())
                .setIssueType(issue.type().value())
                .setPriority(issue.priority().value())
                .setTitle(issue.title())
                .setExecutor(ExecutorChoice.requested(issue))
                .setRequestedBy(requestedBy)
                .setAttempt(attempt)
                .setReplayOf(replayOf)
                .setInputs(inputs)
                .build();
    }

    /**
     * The inputs a work order of Issue {@code issueId} carries when built now: the Repo, the Issue, its context
     * packets, its current constraint snapshot and its doctrine refs, and the operator policy version
     * {@code policyRefId} (the one in force when null), each pinned with the sha256 of its canonical JSON.
     */
    public List<PinnedInput> currentInputs(String issueId, @Nullable String policyRefId) {
        IssueDetail detail = issues.detail(issueId);
        Issue issue = detail.issue();
        Repo repo = repos.get(issue.repo().id());
        List<PinnedInput> inputs = new ArrayList<>();
        inputs.add(pinned(Repo.KIND, repo, null));
        inputs.add(pinned(Issue.KIND, issue, null));
        detail.contextPackets().forEach(packet -> inputs.add(pinned(packet.kind(), packet, packet.version())));
        if (detail.constraintSnapshot() != null) {
            inputs.add(pinned(detail.constraintSnapshot().kind(), detail.constraintSnapshot(), null));
        }
        detail.doctrineRefs().forEach(doctrine -> inputs.add(pinned(doctrine.kind(), doctrine, doctrine.version())));
        DoctrineRef policy = policyRefId != null ? doctrineRefs.get(policyRefId) : policies.current().doctrine();
        if (detail.doctrineRefs().stream().noneMatch(d -> Objects.equals(d.id(), policy.id()))) {
            inputs.add(pinned(policy.kind(), policy, policy.version()));
        }
        return inputs;
    }

    /** The pinned object as its model type, read with the CWOM mapper from the canonical JSON that travels. */
    public static <T> T parse(PinnedInput input, Class<T> type) {
        return CwomJson.mapper().readValue(input.getCanonicalJson(), type);
    }

    /** The one input of {@code kind} (Issue, Repo) among {@code inputs}. */
    public static PinnedInput only(List<PinnedInput> inputs, String kind) {
        return inputs.stream().filter(i -> kind.equals(i.getKind())).findFirst()
                .orElseThrow(() -> new IllegalStateException("the work order's inputs hold no " + kind));
    }

    private static PinnedInput pinned(String kind, CwomObject object, @Nullable String version) {
        String canonical = CanonicalJson.write(object);
        return PinnedInput.newBuilder()
                .setKind(kind)
                .setId(Objects.requireNonNull(object.id()))
                .setVersion(version)
                .setDigest(Digests.sha256(canonical.getBytes(StandardCharsets.UTF_8)))
                .setCanonicalJson(canonical)
                .build();
    }
}
