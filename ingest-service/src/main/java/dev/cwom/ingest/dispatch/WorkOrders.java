package dev.cwom.ingest.dispatch;

import dev.cwom.events.PinnedInput;
import dev.cwom.events.WorkOrder;
import dev.cwom.ingest.issues.IssueDetail;
import dev.cwom.ingest.issues.IssueService;
import dev.cwom.ingest.repos.RepoService;
import dev.cwom.json.CanonicalJson;
import dev.cwom.json.Digests;
import dev.cwom.model.CwomObject;
import dev.cwom.model.Issue;
import dev.cwom.model.Repo;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Builds the self-contained work order of a ready Issue from what is stored now: the Repo, the Issue, its context
 * packets, its current constraint snapshot and its doctrine refs, each pinned with the sha256 of its canonical JSON.
 * The digest is computed on exactly the string that travels, which is what the worker hashes again.
 */
@Component
public class WorkOrders {

    /** The Issue meta key that names the executor a worker should use. */
    public static final String EXECUTOR_META = "executor";

    private final IssueService issues;
    private final RepoService repos;

    public WorkOrders(IssueService issues, RepoService repos) {
        this.issues = issues;
        this.repos = repos;
    }

    /** The work order for outbox event {@code eventId} of Issue {@code issueId}; call inside a transaction. */
    public WorkOrder build(String eventId, String issueId, @Nullable String traceId, Instant occurredAt) {
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
                .setExecutor(executor(issue))
                .setInputs(inputs)
                .build();
    }

    private static @Nullable String executor(Issue issue) {
        Object executor = issue.meta().get(EXECUTOR_META);
        return executor instanceof String name && !name.isBlank() ? name : null;
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
