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
 * What became of the benchmark's Issues, read from the database at the end: every one must be stored, {@code done},
 * with a trace artifact, and done once (at most one {@code done} run, at most one trace artifact of a done run).
 *
 * @param statuses          Issue status -> count, {@code (not stored)} for Issues the database does not have
 * @param withoutTrace      done Issues without a trace artifact
 * @param doneMoreThanOnce  Issues with more than one done run, or more than one trace of their done runs
 */
record IssueAudit(int issues, Map<String, Integer> statuses, List<String> withoutTrace,
        List<String> doneMoreThanOnce) {

    private static final String AUDIT = """
            SELECT i.id, i.status,
                   (SELECT count(*) FROM cwom_runs r WHERE r.issue_id = i.id AND r.status = 'done'),
                   (SELECT count(*) FROM cwom_artifacts a WHERE a.issue_id = i.id AND a.type = 'trace'),
                   (SELECT count(*) FROM cwom_artifacts a JOIN cwom_runs r ON r.id = a.run_id
                     WHERE a.issue_id = i.id AND a.type = 'trace' AND r.status = 'done')
            FROM cwom_issues i WHERE i.id = ANY(?)
            """;

    static IssueAudit of(Connection db, Collection<String> issueIds) throws SQLException {
        Map<String, Integer> statuses = new TreeMap<>();
        List<String> withoutTrace = new ArrayList<>();
        List<String> twice = new ArrayList<>();
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
                }
            }
        }
        if (stored < issueIds.size()) {
            statuses.put("(not stored)", issueIds.size() - stored);
        }
        return new IssueAudit(issueIds.size(), statuses, withoutTrace, twice);
    }

    /** Every Issue done, with its trace, once. */
    boolean passed() {
        return statuses.getOrDefault("done", 0) == issues && withoutTrace.isEmpty() && doneMoreThanOnce.isEmpty();
    }

    /** One line for the report. */
    String summary() {
        return issues + " Issues: " + statuses + (withoutTrace.isEmpty() ? "" : "; done without a trace: "
                + withoutTrace.size() + " (e.g. " + withoutTrace.getFirst() + ")")
                + (doneMoreThanOnce.isEmpty() ? "" : "; done more than once: " + doneMoreThanOnce.size() + " (e.g. "
                        + doneMoreThanOnce.getFirst() + ")");
    }
}
