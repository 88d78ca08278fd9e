package dev.cwom.ingest.runs;

import dev.cwom.ingest.sinkcontract.SinkContract;
import dev.cwom.ingest.store.CwomRows;
import dev.cwom.ingest.problems.ApiProblem;
import dev.cwom.ingest.web.Page;
import dev.cwom.ingest.web.PageQuery;
import dev.cwom.model.Ref;
import dev.cwom.model.Run;
import dev.cwom.model.Status;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Runs as the sink (artifact-service) stored them, read through its contract ({@link SinkContract}); summaries also
 * cover runs ingest knows only from their events so far (ingest_issue_runs). Reads only.
 */
@Service
public class RunService {

    /** More runs than any Issue has attempts; a bound so a runaway retry loop cannot blow up a response. */
    private static final int MAX_RUNS_PER_ISSUE = 1000;

    /** A run as ingest saw it in its events: its id and state only. */
    private static final String SEEN = "SELECT run_id, state, updated_at FROM ingest_issue_runs ";

    private final CwomRows rows;
    private final SinkContract sink;

    public RunService(CwomRows rows, SinkContract sink) {
        this.rows = rows;
        this.sink = sink;
    }

    @Transactional(readOnly = true)
    public Run get(String id) {
        return sink.run(id).orElseThrow(() -> ApiProblem.notFound(Run.KIND, id));
    }

    /**
     * The stored Run an update applies to. A Run the pipeline knows but the sink has not stored (yet) is a 409
     * {@code NOT_STORED_YET}, not a 404: it exists, it just cannot be updated before the sink has it.
     */
    @Transactional(readOnly = true)
    public Run storedForUpdate(String id) {
        return stored(id, "updated");
    }

    /**
     * The stored Run, for an action that needs artifact-service's row ({@code what}: "updated", "replayed"); a Run the
     * pipeline knows but the sink has not stored (yet) is a 409 {@code NOT_STORED_YET}, an unknown one a 404.
     */
    @Transactional(readOnly = true)
    public Run stored(String id, String what) {
        return sink.run(id).orElseThrow(() -> {
            boolean known = rows.jdbc().sql("SELECT EXISTS (SELECT 1 FROM ingest_issue_runs WHERE run_id = :id) "
                    + "OR EXISTS (SELECT 1 FROM ingest_rest_submissions WHERE id = :id AND kind = 'Run')")
                    .param("id", id).query(Boolean.class).single();
            return known ? ApiProblem.conflict("NOT_STORED_YET", "Run '" + id + "' was reported or started but "
                    + "artifact-service has not stored it yet, so it cannot be " + what + "; retry shortly "
                    + "(POST /cwom/runs?wait= answers once it is stored). If this persists, artifact-service refused "
                    + "the Run's events", Map.of("id", id))
                    : ApiProblem.notFound(Run.KIND, id);
        });
    }

    @Transactional(readOnly = true)
    public Page<Run> list(@Nullable String issueId, @Nullable String repoId, @Nullable String status, PageQuery page) {
        return Page.of(sink.runs(CwomRows.filters("issue_id", issueId, "repo_id", repoId, "status", status),
                page.cursor(), page.limit() + 1), page, Run::id);
    }

    /**
     * The summary of a Run linked to an Issue, from what exists: the sink's row (its contract view) once it is
     * stored, else what ingest learned from the Run's events (ingest_issue_runs: its state), which is all there is between RunStarted
     * and the sink storing it, or for good when the sink refused it. Empty when neither knows the id.
     */
    @Transactional(readOnly = true)
    public Optional<RunSummary> summary(String id) {
        Optional<Run> stored = sink.run(id);
        if (stored.isPresent()) {
            return stored.map(RunSummary::of);
        }
        return rows.jdbc().sql(SEEN + "WHERE run_id = :id").param("id", id).query(RunService::seen).optional();
    }

    /** Summaries of all the Issue's runs, oldest first, each from what exists as {@link #summary} says. */
    @Transactional(readOnly = true)
    public List<RunSummary> summariesForIssue(String issueId) {
        Map<String, RunSummary> byId = new TreeMap<>();
        rows.jdbc().sql(SEEN + "WHERE issue_id = :issue ORDER BY run_id LIMIT :limit").param("issue", issueId)
                .param("limit", MAX_RUNS_PER_ISSUE).query(RunService::seen).list()
                .forEach(summary -> byId.put(summary.id(), summary));
        forIssue(issueId).forEach(run -> byId.put(Objects.requireNonNull(run.id()), RunSummary.of(run)));
        return List.copyOf(byId.values());
    }

    private static RunSummary seen(ResultSet rs, int row) throws SQLException {
        return new RunSummary(rs.getString(1), Status.of(rs.getString(2)), null, null, null, null, null, null,
                rs.getTimestamp(3).toInstant());
    }

    /** The Issue's runs, oldest first (ids are ULIDs, so id order is creation order). */
    @Transactional(readOnly = true)
    public List<Run> forIssue(String issueId) {
        return sink.runs(CwomRows.filters("issue_id", issueId), null, MAX_RUNS_PER_ISSUE);
    }

    /**
     * Refs to the runs of these Issues, by Issue, in id order: those the sink stored and those ingest learned about
     * from run events before the sink stored them.
     */
    @Transactional(readOnly = true)
    public Map<String, List<Ref>> refsOfIssues(List<String> issueIds) {
        if (issueIds.isEmpty()) {
            return Map.of();
        }
        Map<String, java.util.SortedSet<String>> ids = new TreeMap<>();
        rows.jdbc().sql("SELECT issue_id, run_id FROM ingest_issue_runs WHERE issue_id IN (:ids) "
                        + "ORDER BY issue_id, run_id LIMIT :limit").param("ids", issueIds)
                .param("limit", MAX_RUNS_PER_ISSUE * issueIds.size())
                .query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2))).list()
                .forEach(e -> ids.computeIfAbsent(e.getKey(), k -> new java.util.TreeSet<>()).add(e.getValue()));
        sink.runIdsOfIssues(issueIds, MAX_RUNS_PER_ISSUE * issueIds.size())
                .forEach(e -> ids.computeIfAbsent(e.getKey(), k -> new java.util.TreeSet<>()).add(e.getValue()));
        Map<String, List<Ref>> refs = new java.util.LinkedHashMap<>();
        ids.forEach((issue, runIds) -> refs.put(issue, runIds.stream().map(id -> Ref.to(Run.KIND, id)).toList()));
        return refs;
    }
}
