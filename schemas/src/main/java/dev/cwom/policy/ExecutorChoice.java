package dev.cwom.policy;

import dev.cwom.model.Issue;
import dev.cwom.model.IssueType;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The executor names and how one is chosen for an Issue: its meta {@code executor}, else by its type. The default
 * mapping lives here so that ingest (which checks the choice against the policy) and the worker (which merges its
 * {@code cwom.worker.executors.by-type} over it) read the same one.
 */
public final class ExecutorChoice {

    /** Does nothing but record the run; for work done elsewhere. */
    public static final String NOOP = "noop";
    /** Runs the ContextPackets' {@code meta.commands}. */
    public static final String SHELL = "shell";
    /** Hands the work to an agent webhook. */
    public static final String HTTP = "http";
    /** Every executor name a policy may list. */
    public static final List<String> NAMES = List.of(NOOP, SHELL, HTTP);

    /** The Issue meta key that names the executor explicitly. */
    public static final String META_KEY = "executor";
    /** The Issue meta key that names the http executor's webhook. */
    public static final String META_WEBHOOK_URL = "webhook_url";

    /** The executor per issue type when neither the Issue nor the worker's configuration names one. */
    public static final Map<IssueType, String> DEFAULT_BY_TYPE = Map.of(IssueType.FEATURE, SHELL, IssueType.BUG, SHELL,
            IssueType.OPS, SHELL, IssueType.INCIDENT, SHELL, IssueType.RESEARCH, NOOP, IssueType.DOC, NOOP,
            IssueType.CHORE, NOOP);

    private ExecutorChoice() {
    }

    /** The executor the Issue names in its meta, if any. */
    public static @Nullable String requested(Issue issue) {
        Object executor = issue.meta().get(META_KEY);
        return executor instanceof String name && !name.isBlank() ? name : null;
    }

    /** The Issue's executor: its meta {@code executor}, else {@code byType} for its type (null when none). */
    public static @Nullable String of(Issue issue, Map<IssueType, String> byType) {
        String requested = requested(issue);
        return requested != null ? requested : byType.get(issue.type());
    }
}
