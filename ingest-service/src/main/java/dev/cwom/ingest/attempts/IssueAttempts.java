package dev.cwom.ingest.attempts;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Numbers the attempts at each Issue (table {@code ingest_issue_attempts}). The order of an Issue's runs is the order
 * in which ingest handed out their numbers, never the order of their run ids: those are chosen by REST clients and by
 * workers' clocks. A dispatch (a work order in the outbox) and a run reported over REST each take the next number, in
 * the transaction that records them, so a number is used once and a rolled-back one is not used at all.
 *
 * <p>When the Issue leaves {@code ready}, every number taken so far is withdrawn ({@link #withdraw}): workers skip or
 * stop those work orders, and their runs no longer move the Issue.
 */
@Component
public class IssueAttempts {

    /**
     * The order of an Issue's runs in {@code ingest_issue_runs}, latest attempt first: the highest attempt number,
     * then runs without one (older producers) by run id. The one rule for "the latest run".
     */
    public static final String LATEST_FIRST = "ORDER BY attempt DESC NULLS LAST, run_id DESC";

    private final JdbcClient jdbc;

    public IssueAttempts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Takes the next attempt number of Issue {@code issueId} (1 for its first), in the caller's transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public int next(String issueId) {
        return jdbc.sql("""
                        INSERT INTO ingest_issue_attempts AS a (issue_id, last_attempt) VALUES (:issue, 1)
                        ON CONFLICT (issue_id) DO UPDATE SET last_attempt = a.last_attempt + 1
                        RETURNING last_attempt""")
                .param("issue", issueId).query(Integer.class).single();
    }

    /**
     * Withdraws every attempt number Issue {@code issueId} has taken; must run in the transaction that moves the Issue
     * out of {@code ready}. An Issue made ready before attempts were numbered has no number yet: it takes 1, which
     * covers its unnumbered work order too (an unnumbered attempt ranks below every number).
     *
     * @return the highest withdrawn number
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public int withdraw(String issueId) {
        return jdbc.sql("""
                        INSERT INTO ingest_issue_attempts AS a (issue_id, last_attempt, withdrawn_through)
                        VALUES (:issue, 1, 1)
                        ON CONFLICT (issue_id) DO UPDATE SET withdrawn_through = a.last_attempt
                        RETURNING withdrawn_through""")
                .param("issue", issueId).query(Integer.class).single();
    }

    /** The id of Issue {@code issueId}'s latest run by {@link #LATEST_FIRST}; empty while ingest has seen none. */
    @Transactional(readOnly = true)
    public Optional<String> latestRun(String issueId) {
        return jdbc.sql("SELECT run_id FROM ingest_issue_runs WHERE issue_id = :issue " + LATEST_FIRST + " LIMIT 1")
                .param("issue", issueId).query(String.class).optional();
    }

    /**
     * Whether the run with attempt number {@code attempt} (null: a run whose producer did not number it) of Issue
     * {@code issueId} was withdrawn.
     */
    @Transactional(readOnly = true)
    public boolean withdrawn(String issueId, @Nullable Integer attempt) {
        // a list, since the one value may be NULL (nothing withdrawn yet)
        List<Integer> found = jdbc.sql("SELECT withdrawn_through FROM ingest_issue_attempts WHERE issue_id = :issue")
                .param("issue", issueId).query(Integer.class).list();
        Integer through = found.isEmpty() ? null : found.getFirst();
        return through != null && (attempt == null || attempt <= through);
    }
}
