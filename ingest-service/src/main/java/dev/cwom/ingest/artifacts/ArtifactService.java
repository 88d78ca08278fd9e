package dev.cwom.ingest.artifacts;

import dev.cwom.ingest.sinkcontract.SinkContract;
import dev.cwom.ingest.store.CwomRows;
import dev.cwom.ingest.store.CwomTables;
import dev.cwom.ingest.problems.ApiProblem;
import dev.cwom.ingest.web.Page;
import dev.cwom.ingest.web.PageQuery;
import dev.cwom.model.Artifact;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Artifacts as the sink (artifact-service) stored them, read through its contract ({@link SinkContract}). */
@Service
public class ArtifactService {

    private static final int MAX_ARTIFACTS_PER_ISSUE = 1000;

    private final CwomRows rows;
    private final SinkContract sink;

    public ArtifactService(CwomRows rows, SinkContract sink) {
        this.rows = rows;
        this.sink = sink;
    }

    @Transactional(readOnly = true)
    public Artifact get(String id) {
        return sink.artifact(id).orElseThrow(() -> ApiProblem.notFound(Artifact.KIND, id));
    }

    /** Artifacts produced by Run {@code runId} (404 when it does not exist), optionally of one type. */
    @Transactional(readOnly = true)
    public Page<Artifact> forRun(String runId, @Nullable String type, PageQuery page) {
        if (!sink.runStored(runId)) {
            throw ApiProblem.notFound(dev.cwom.model.Run.KIND, runId);
        }
        return Page.of(sink.artifacts(CwomRows.filters("run_id", runId, "type", type), page.cursor(),
                page.limit() + 1), page, Artifact::id);
    }

    /** Artifacts of Issue {@code issueId} (404 when it does not exist), optionally of one type. */
    @Transactional(readOnly = true)
    public Page<Artifact> forIssue(String issueId, @Nullable String type, PageQuery page) {
        rows.requireExists(CwomTables.ISSUES, issueId);
        return Page.of(sink.artifacts(CwomRows.filters("issue_id", issueId, "type", type), page.cursor(),
                page.limit() + 1), page, Artifact::id);
    }

    /** The artifacts of one Run, for views that show a run with its outputs. */
    @Transactional(readOnly = true)
    public List<Artifact> allForRun(String runId) {
        return sink.artifacts(CwomRows.filters("run_id", runId), null, MAX_ARTIFACTS_PER_ISSUE);
    }
}
