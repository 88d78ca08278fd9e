package dev.cwom.ingest.runs;

import dev.cwom.ingest.store.CwomRows;
import dev.cwom.ingest.store.CwomTables;
import dev.cwom.ingest.web.ApiProblem;
import dev.cwom.ingest.web.Page;
import dev.cwom.ingest.web.PageQuery;
import dev.cwom.model.Run;
import dev.cwom.model.Status;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Runs as the sink (artifact-service) stored them; this service only reads cwom_runs. */
@Service
public class RunService {

    /** More runs than any Issue has attempts; a bound so a runaway retry loop cannot blow up a response. */
    private static final int MAX_RUNS_PER_ISSUE = 1000;

    private final CwomRows rows;

    public RunService(CwomRows rows) {
        this.rows = rows;
    }

    @Transactional(readOnly = true)
    public Run get(String id) {
        return rows.find(CwomTables.RUNS, id, Run.class).orElseThrow(() -> ApiProblem.notFound(Run.KIND, id));
    }

    @Transactional(readOnly = true)
    public Page<Run> list(@Nullable String issueId, @Nullable String repoId, @Nullable String status, PageQuery page) {
        return Page.of(rows.list(CwomTables.RUNS, CwomRows.filters("issue_id", issueId, "repo_id", repoId,
                "status", status), page.cursor(), page.limit() + 1, Run.class), page, Run::id);
    }

    /**
     * The summary of a Run linked to an Issue, from what exists: the sink's cwom_runs row once it is stored, else what
     * ingest learned from the Run's events (ingest_issue_runs: its state), which is all there is between RunStarted
     * and the sink storing it, or for good when the sink refused it. Empty when neither knows the id.
     */
    @Transactional(readOnly = true)
    public Optional<RunSummary> summary(String id) {
        Optional<Run> stored = rows.find(CwomTables.RUNS, id, Run.class);
        if (stored.isPresent()) {
            return stored.map(RunSummary::of);
        }
        return rows.jdbc().sql("SELECT state, updated_at FROM ingest_issue_runs WHERE run_id = :id").param("id", id)
                .query((rs, n) -> new RunSummary(id, Status.of(rs.getString(1)), null, null, null,
                        null, null, null, rs.getTimestamp(2).toInstant()))
                .optional();
    }

    /** The Issue's runs, oldest first (ids are ULIDs, so id order is creation order). */
    @Transactional(readOnly = true)
    public List<Run> forIssue(String issueId) {
        return rows.list(CwomTables.RUNS, CwomRows.filters("issue_id", issueId), null, MAX_RUNS_PER_ISSUE, Run.class);
    }
}
