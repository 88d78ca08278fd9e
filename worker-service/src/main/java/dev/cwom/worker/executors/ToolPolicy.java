package dev.cwom.worker.executors;

import dev.cwom.model.ConstraintSnapshot;
import dev.cwom.model.Repo;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which tools a run may start. A tool is refused when it is blocked (ConstraintSnapshot {@code tools.blocked} or the
 * worker's {@code shell.blocked-tools}; blocked wins), or not on the allow-list. The allow-list is the intersection of
 * the non-empty ones among the ConstraintSnapshot's {@code tools.allowed} and the Repo's {@code policy.allowed_tools};
 * when both are empty it is the worker's {@code shell.default-allowed-tools} (empty by default: nothing runs).
 * A tool is a bare name looked up on the scrubbed {@code PATH}: a path in {@code argv[0]} is refused, since
 * {@code /tmp/x/ls} must not pass as {@code ls}.
 */
final class ToolPolicy {

    private final @Nullable Set<String> allowed;
    private final Set<String> blocked;
    private final String allowedSource;

    private ToolPolicy(@Nullable Set<String> allowed, Set<String> blocked, String allowedSource) {
        this.allowed = allowed;
        this.blocked = blocked;
        this.allowedSource = allowedSource;
    }

    static ToolPolicy of(ConstraintSnapshot.@Nullable Constraints constraints, Repo repo,
            List<String> defaultAllowed, List<String> workerBlocked) {
        ConstraintSnapshot.Tools tools = constraints == null ? null : constraints.tools();
        List<String> snapshotAllowed = tools == null ? List.of() : tools.allowed();
        List<String> repoAllowed = repo.policy().allowedTools();
        Set<String> blocked = new LinkedHashSet<>(workerBlocked);
        if (tools != null) {
            blocked.addAll(tools.blocked());
        }
        if (!snapshotAllowed.isEmpty() && !repoAllowed.isEmpty()) {
            Set<String> both = new LinkedHashSet<>(snapshotAllowed);
            both.retainAll(repoAllowed);
            return new ToolPolicy(both, blocked, "both constraints.tools.allowed " + snapshotAllowed
                    + " and the Repo's policy.allowed_tools " + repoAllowed);
        }
        if (!snapshotAllowed.isEmpty()) {
            return new ToolPolicy(new LinkedHashSet<>(snapshotAllowed), blocked,
                    "constraints.tools.allowed " + snapshotAllowed);
        }
        if (!repoAllowed.isEmpty()) {
            return new ToolPolicy(new LinkedHashSet<>(repoAllowed), blocked,
                    "the Repo's policy.allowed_tools " + repoAllowed);
        }
        return defaultAllowed.isEmpty()
                ? new ToolPolicy(null, blocked, "no allow-list")
                : new ToolPolicy(new LinkedHashSet<>(defaultAllowed), blocked,
                        "cwom.worker.shell.default-allowed-tools " + defaultAllowed);
    }

    /** Why the commands may not run, naming every refused tool and the fix; empty when all may run. */
    Optional<String> refusal(List<ShellCommand> commands) {
        List<String> reasons = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (ShellCommand command : commands) {
            String tool = command.tool();
            if (!seen.add(tool)) {
                continue;
            }
            if (tool.contains("/")) {
                reasons.add("'" + tool + "' is a path; name the tool and let PATH find it");
            } else if (blocked.contains(tool)) {
                reasons.add("'" + tool + "' is blocked (constraints.tools.blocked or cwom.worker.shell.blocked-tools"
                        + " " + blocked + ")");
            } else if (allowed == null) {
                reasons.add("'" + tool + "' is not allowed: neither constraints.tools.allowed nor the Repo's"
                        + " policy.allowed_tools lists any tool; list the tools the commands need");
            } else if (!allowed.contains(tool)) {
                reasons.add("'" + tool + "' is not allowed by " + allowedSource);
            }
        }
        return reasons.isEmpty() ? Optional.empty()
                : Optional.of("Refused before starting anything: " + String.join("; ", reasons));
    }

    /** For the decision log. */
    String describe() {
        return "tools allowed by " + allowedSource + (allowed == null ? " (nothing may run)" : "")
                + ", blocked " + blocked;
    }
}
