package dev.cwom.worker.executors;

import dev.cwom.model.FailureCategory;
import dev.cwom.model.Issue;
import dev.cwom.model.IssueType;
import dev.cwom.policy.ExecutorChoice;
import dev.cwom.worker.trace.TraceRecorder;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Chooses the executor of a run: the Issue's meta key {@code executor} when present, else the executor configured
 * for the Issue's type. A name no executor has gives an executor that refuses the run with failure {@code policy}
 * and says which names exist, so the caller always has something to execute.
 */
public final class ExecutorRegistry {

    /** The Issue meta key that names an executor explicitly. */
    public static final String META_KEY = ExecutorChoice.META_KEY;

    private final Map<String, Executor> byName = new TreeMap<>();
    private final Map<IssueType, String> byType;

    /**
     * @throws IllegalArgumentException when two executors share a name, or the type mapping names an executor that
     *     is not registered (a configuration mistake better found at startup than at the first run)
     */
    public ExecutorRegistry(Collection<? extends Executor> executors, Map<IssueType, String> byType) {
        for (Executor executor : executors) {
            if (byName.putIfAbsent(executor.name(), executor) != null) {
                throw new IllegalArgumentException("Two executors are named '" + executor.name() + "'; names must be"
                        + " unique");
            }
        }
        byType.forEach((type, name) -> {
            if (!byName.containsKey(name)) {
                throw new IllegalArgumentException("cwom.worker.executors.by-type." + type.value() + " is '" + name
                        + "', which is not an executor; use one of " + byName.keySet());
            }
        });
        this.byType = Map.copyOf(byType);
    }

    /** The executor for {@code issue}; never null (see the class comment for unknown names). */
    public Executor select(Issue issue) {
        Object requested = issue.meta().get(META_KEY);
        if (requested != null) {
            String name = requested.toString();
            Executor executor = byName.get(name);
            return executor != null ? executor : new Refusing(name, "Issue " + issue.id() + " asks for executor '"
                    + name + "' (meta." + META_KEY + "), which this worker does not have; use one of "
                    + byName.keySet() + " or leave meta." + META_KEY + " out to choose by issue type");
        }
        String name = byType.get(issue.type());
        if (name == null) {
            return new Refusing("none", "No executor is configured for issue type '" + issue.type().value()
                    + "'; set cwom.worker.executors.by-type." + issue.type().value() + " or meta." + META_KEY
                    + " on the Issue");
        }
        return byName.get(name);
    }

    /** The registered executor names. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    private record Refusing(String name, String message) implements Executor {
        @Override
        public ExecutionResult execute(ExecutionRequest request, TraceRecorder trace) {
            trace.event("executor.refused", Map.of("executor", name, "reason", message));
            return ExecutionResult.refused(FailureCategory.POLICY, message, List.of(message));
        }
    }
}
