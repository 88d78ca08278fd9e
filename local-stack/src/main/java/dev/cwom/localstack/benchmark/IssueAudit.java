package dev.cwom.localstack.benchmark;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What became of the benchmark's (and the chaos suite's) Issues, read from the database at the end: every one must be
 * stored, {@code done}, with a trace artifact, and done once (at most one {@code done} run, at most one trace artifact
 * of a done run), and no artifact stored twice (the same run, type and digest under two ids).
 * Runs and artifacts are read through the sink's read contract (the {@code sink_*_v1} views,
 * docs/contracts/sink-views-v1.md), as any reader other than the sink must.
 *
 * @param statuses          Issue status -> count, {@code (not stored)} for Issues the database does not have
 * @param withoutTrace      done Issues without a trace artifact
 * @param doneMoreThanOnce  Issues with more than one done run, or more than one trace of their done runs
 * @param artifactsTwice    Issues with an artifact stored twice: two artifacts of one run with the same type and digest
 */
public record IssueAudit(int issues, Map<String, Integer> statuses, List<String> withoutTrace,
        List<String> doneMoreThanOnce, List<String> artifactsTwice) {

    /** The status of Issues the database does not have. */
    public static final String NOT_STORED = "(not stored)";

    private static final String AUDIT = """
            SELECT i.id, i.status,
                   (SELECT count(*) FROM sink_runs_v1 r WHERE r.issue_id = i.id AND r.status = 'done'),
                   (SELECT count(*) FROM sink_artifacts_v1 a WHERE a.issue_id = i.id AND a.type = 'trace'),
                   (SELECT count(*) FROM sink_artifacts_v1 a JOIN sink_runs_v1 r ON r.id = a.run_id
                     WHERE a.issue_id = i.id AND a.type = 'trace' AND r.status = 'done'),
                   (SELECT count(*) - count(DISTINCT (a.run_id, a.type, a.digest)) FROM sink_artifacts_v1 a
                     WHERE a.issue_id = i.id)
            FROM cwom_issues i WHERE i.id = ANY(?)
            """;

    public static IssueAudit of(Connection db, Collection<String> issueIds) throws SQLException {
        Map<String, Integer> statuses = new TreeMap<>();
        List<String> withoutTrace = new ArrayList<>();
        List<String> twice = new ArrayList<>();
        List<String> artifactsTwice = new ArrayList<>();
        int stored = 0;
        try (PreparedStatement query = db.prepareStatement(AUDIT)) {
            query.setArray(1, db.createArrayOf("varchar", issueIds.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    stored++;
                    String id = rows.getString(1);
                    statuses.merge(rows.getString(2), 1, Integer::sum);
                    if ("done".equals(rows.getString(2)) && rows.getLong(4) == 0) {
                        withoutTrace.add(id);
                    }
                    if (rows.getLong(3) > 1 || rows.getLong(5) > 1) {
                        twice.add(id);
                    }
                    if (rows.getLong(6) > 0) {
                        artifactsTwice.add(id);
                    }
                }
            }
        }
        if (stored < issueIds.size()) {
            statuses.put(NOT_STORED, issueIds.size() - stored);
        }
        return new IssueAudit(issueIds.size(), statuses, withoutTrace, twice, artifactsTwice);
    }

    /** Every Issue done, with its trace, once, no artifact twice. */
    public boolean passed() {
        return done() == issues && withoutTrace.isEmpty() && doneMoreThanOnce.isEmpty() && artifactsTwice.isEmpty();
    }

    /** Issues stored and {@code done}. */
    public int done() {
        return statuses.getOrDefault("done", 0);
    }

    /** Issues sent that the database does not have. */
    public int lost() {
        return statuses.getOrDefault(NOT_STORED, 0);
    }

    /** Issues stored that did not end {@code done}. */
    public int stuck() {
        return issues - lost() - done();
    }

    /** One line for the report. */
    public String summary() {
        return issues + " Issues: " + statuses + (withoutTrace.isEmpty() ? "" : "; done without a trace: "
                + withoutTrace.size() + " (e.g. " + withoutTrace.getFirst() + ")")
                + (doneMoreThanOnce.isEmpty() ? "" : "; done more than once: " + doneMoreThanOnce.size() + " (e.g. "
                        + doneMoreThanOnce.getFirst() + ")")
                + (artifactsTwice.isEmpty() ? "" : "; an artifact stored twice: " + artifactsTwice.size() + " (e.g. "
                        + artifactsTwice.getFirst() + ")");
    }
}
