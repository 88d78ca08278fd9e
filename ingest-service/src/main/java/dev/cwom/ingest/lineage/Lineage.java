package dev.cwom.ingest.lineage;

import dev.cwom.events.PinnedInput;
import dev.cwom.events.RunEventMapping;
import dev.cwom.ingest.dispatch.DispatchedInputs;
import dev.cwom.ingest.dispatch.WorkOrders;
import dev.cwom.ingest.doctrine.DoctrineRefService;
import dev.cwom.ingest.issues.IssueService;
import dev.cwom.ingest.problems.ApiProblem;
import dev.cwom.ingest.repos.RepoService;
import dev.cwom.ingest.sinkcontract.SinkContract;
import dev.cwom.ingest.store.CwomRows;
import dev.cwom.ingest.web.Page;
import dev.cwom.ingest.web.PageQuery;
import dev.cwom.json.Digests;
import dev.cwom.model.Artifact;
import dev.cwom.model.ArtifactType;
import dev.cwom.model.DoctrineRef;
import dev.cwom.model.Issue;
import dev.cwom.model.Ref;
import dev.cwom.model.Run;
import dev.cwom.policy.PolicyDoctrine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Answers lineage questions from what is stored: artifact-service's views (the Artifact, its Run, the Run's pinned
 * inputs, the worker and the work order it ran) and ingest's own record of what each work order carried, which adds
 * the Issue and Repo as the Run saw them.
 */
@Service
public class Lineage {

    private final SinkContract sink;
    private final DispatchedInputs dispatched;
    private final IssueService issues;
    private final RepoService repos;
    private final DoctrineRefService doctrineRefs;

    public Lineage(SinkContract sink, DispatchedInputs dispatched, IssueService issues, RepoService repos,
            DoctrineRefService doctrineRefs) {
        this.sink = sink;
        this.dispatched = dispatched;
        this.issues = issues;
        this.repos = repos;
        this.doctrineRefs = doctrineRefs;
    }

    /** The lineage of Artifact {@code id}; 404 when artifact-service has not stored it. */
    @Transactional(readOnly = true)
    public ArtifactLineage ofArtifact(String id) {
        Artifact artifact = sink.artifact(id).orElseThrow(() -> ApiProblem.notFound(Artifact.KIND, id));
        String runId = artifact.producedBy().id();
        Run run = sink.run(runId).orElseThrow(() -> ApiProblem.notFound(Run.KIND, runId));
        SinkContract.RunOrigin origin = sink.runOrigin(runId).orElseThrow();
        List<PinnedInput> carried = origin.workOrderEventId() == null ? List.of()
                : dispatched.of(origin.workOrderEventId());
        List<Ref> inputs;
        DoctrineRef policy = null;
        if (!carried.isEmpty()) {
            inputs = carried.stream().map(i -> Ref.pinned(i.getKind(), i.getId(), i.getVersion(), i.getDigest()))
                    .toList();
            policy = carried.stream().filter(i -> DoctrineRef.KIND.equals(i.getKind()))
                    .map(i -> WorkOrders.parse(i, DoctrineRef.class)).filter(PolicyDoctrine::isPolicy)
                    .findFirst().orElse(null);
        } else {
            inputs = new ArrayList<>(run.inputs().contextPackets());
            if (run.inputs().constraintSnapshot() != null) {
                inputs.add(run.inputs().constraintSnapshot());
            }
            inputs.addAll(run.inputs().doctrineRefs());
            policy = run.inputs().doctrineRefs().stream().map(ref -> doctrineRefs.get(ref.id()))
                    .filter(PolicyDoctrine::isPolicy).findFirst().orElse(null);
        }
        Issue issue = issues.get(run.forIssue().id());
        Artifact trace = sink.artifacts(CwomRows.filters("run_id", runId, "type", ArtifactType.TRACE.value()), null,
                1000).stream().reduce((first, second) -> second).orElse(null);
        return new ArtifactLineage(artifact, artifact.verification(), run, inputs,
                carried.isEmpty() ? "run" : "work_order", policy, issue, repos.get(run.repo().id()),
                meta(run, "requested_by"), origin.workerId(), meta(run, RunEventMapping.META_REPLAY_OF),
                trace == null ? null : new ArtifactLineage.Trace(java.util.Objects.requireNonNull(trace.id()),
                        trace.uri(), trace.digest()));
    }

    /**
     * One page of the Runs that pinned an input with {@code digest} and the Artifacts whose content has it, together
     * in id order (ULIDs, so by creation); 400 {@code INVALID_DIGEST} unless it is {@code sha256:} and 64 lower-case
     * hex digits.
     */
    @Transactional(readOnly = true)
    public Page<LineageItem> ofDigest(@Nullable String digest, PageQuery page) {
        if (digest == null || !Digests.isSha256(digest)) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "INVALID_DIGEST", "query.digest "
                    + (digest == null ? "is missing" : "'" + digest + "' is not a digest")
                    + ": give sha256: and the 64 lower-case hex digits of the sha256, e.g. the 'digest' of an Artifact"
                    + " or of a Run's pinned input", Map.of("parameter", "digest"));
        }
        List<LineageItem> items = new ArrayList<>();
        sink.runIdsPinning(digest, page.cursor(), page.limit() + 1).forEach(runId ->
                sink.run(runId).ifPresent(run -> items.add(LineageItem.of(run))));
        sink.artifactsWithDigest(digest, page.cursor(), page.limit() + 1)
                .forEach(artifact -> items.add(LineageItem.of(artifact)));
        items.sort(Comparator.comparing(LineageItem::id));
        return Page.of(items.subList(0, Math.min(items.size(), page.limit() + 1)), page, LineageItem::id);
    }

    private static @Nullable String meta(Run run, String key) {
        return run.meta().get(key) instanceof String value ? value : null;
    }
}
