package dev.cwom.policy;

import dev.cwom.model.Connectivity;
import dev.cwom.model.ConstraintSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The one decision of a policy about a run, made the same way at submission (ingest) and at execution (worker):
 * which asks go beyond the limits, and the effective constraints. A submitter can only narrow: the effective
 * constraints are the submitted ones with every tool the policy does not allow blocked, the network cut off
 * ({@code connectivity: offline}) unless the policy allows it, and the time budget cut to the policy's maximum.
 */
public final class PolicyCheck {

    /** ConstraintSnapshot meta key by which a run asks for the network (the task bridge's {@code allow_network}). */
    public static final String META_ALLOW_NETWORK = "allow_network";
    /** ConstraintSnapshot meta key by which a run asks for secrets (the task bridge's {@code allow_secrets}). */
    public static final String META_ALLOW_SECRETS = "allow_secrets";

    private PolicyCheck() {
    }

    /**
     * @param source what the limits are, for messages: "the operator policy v3", "the worker's ceiling"
     * @param limits the limits for the run's Repo and principal
     * @param snapshot the run's ConstraintSnapshot, if any
     * @param ask what the run asks beyond the snapshot
     * @param fallbackBudget the time budget a run without {@code time.available_minutes} gets, when known
     */
    public static PolicyDecision decide(String source, PolicyLimits limits, @Nullable ConstraintSnapshot snapshot,
            RunAsk ask, @Nullable Duration fallbackBudget) {
        List<PolicyViolation> violations = new ArrayList<>();
        String executor = ask.executor();
        if (executor != null && !limits.allowsExecutor(executor)) {
            violations.add(new PolicyViolation(PolicyViolation.EXECUTOR_FORBIDDEN, "executor '" + executor
                    + "' is not allowed by " + source + " (executors " + limits.executors() + "); choose one of them"
                    + " with the Issue's meta.executor, or ask the operator to allow it"));
        }
        for (String tool : ask.tools()) {
            if (!limits.allowsTool(tool)) {
                violations.add(new PolicyViolation(PolicyViolation.TOOL_FORBIDDEN, "tool '" + tool + "' is "
                        + (limits.tools().blocked().contains(tool) ? "blocked" : "not allowed") + " by " + source
                        + " (tools allowed " + limits.tools().allowed() + ", blocked " + limits.tools().blocked()
                        + "); remove the commands that start it from the ContextPackets' meta.commands"));
            }
        }
        if (ExecutorChoice.HTTP.equals(executor) && ask.webhookHost() != null
                && !limits.allowsHost(ask.webhookHost())) {
            violations.add(new PolicyViolation(PolicyViolation.NETWORK_FORBIDDEN, "the webhook host '"
                    + ask.webhookHost() + "' is not among the hosts " + source + " lets the http executor call ("
                    + limits.network().hosts() + "); use an allowed webhook_url, or ask the operator to allow it"));
        }
        if (snapshot != null) {
            if (Boolean.TRUE.equals(snapshot.meta().get(META_ALLOW_NETWORK)) && !limits.network().allowed()) {
                violations.add(new PolicyViolation(PolicyViolation.NETWORK_FORBIDDEN, "the ConstraintSnapshot asks for"
                        + " the network (meta.allow_network true), which " + source + " denies; leave it out"));
            }
            if (Boolean.TRUE.equals(snapshot.meta().get(META_ALLOW_SECRETS)) && !limits.secrets()) {
                violations.add(new PolicyViolation(PolicyViolation.SECRETS_FORBIDDEN, "the ConstraintSnapshot asks for"
                        + " secrets (meta.allow_secrets true), which " + source + " denies; leave it out"));
            }
            Double minutes = availableMinutes(snapshot.constraints());
            if (minutes != null && minutes * 60 > limits.maxTimeBudgetSeconds()) {
                violations.add(new PolicyViolation(PolicyViolation.TIME_BUDGET_EXCEEDED, String.format(Locale.ROOT,
                        "the time budget of %s min (%.0f s, constraints.time.available_minutes) is above the %d s "
                        + "%s allows; ask for %d s or less", minutes, minutes * 60,
                        limits.maxTimeBudgetSeconds(), source, limits.maxTimeBudgetSeconds())));
            }
        }
        return new PolicyDecision(violations, narrow(limits, snapshot == null ? null : snapshot.constraints(),
                fallbackBudget));
    }

    /**
     * The submitted constraints narrowed by the limits (see the class comment). Tools the policy does not allow
     * are added to {@code tools.blocked} rather than only dropped from {@code tools.allowed}: an allow-list narrowed
     * to nothing must not read as "no allow-list given".
     *
     * @param fallbackBudget the budget a run gets without {@code time.available_minutes}; when it exceeds the limit,
     *     the limit is written in
     */
    public static ConstraintSnapshot.Constraints narrow(PolicyLimits limits,
            ConstraintSnapshot.@Nullable Constraints submitted, @Nullable Duration fallbackBudget) {
        ConstraintSnapshot.Constraints c = submitted != null ? submitted
                : new ConstraintSnapshot.Constraints(null, null, null, null, null, null, null);
        ConstraintSnapshot.Tools tools = c.tools();
        List<String> allowed = tools == null ? List.of() : tools.allowed();
        Set<String> blocked = new LinkedHashSet<>(tools == null ? List.of() : tools.blocked());
        blocked.addAll(limits.tools().blocked());
        allowed.stream().filter(tool -> !limits.allowsTool(tool)).forEach(blocked::add);
        List<String> narrowedAllowed = allowed.stream().filter(limits::allowsTool).toList();
        ConstraintSnapshot.Tools narrowedTools = tools == null && blocked.isEmpty() ? null
                : new ConstraintSnapshot.Tools(narrowedAllowed, new ArrayList<>(blocked));

        ConstraintSnapshot.Environment environment = c.environment();
        if (!limits.network().allowed()) {
            environment = new ConstraintSnapshot.Environment(environment == null ? null : environment.location(),
                    Connectivity.OFFLINE, environment == null ? null : environment.device());
        }

        double maxMinutes = limits.maxTimeBudgetSeconds() / 60.0;
        ConstraintSnapshot.Time time = c.time();
        Double minutes = availableMinutes(c);
        if (minutes != null && minutes > maxMinutes) {
            time = new ConstraintSnapshot.Time(maxMinutes, time == null ? null : time.deadline());
        } else if (minutes == null && fallbackBudget != null
                && fallbackBudget.toMillis() > limits.maxTimeBudgetSeconds() * 1000) {
            time = new ConstraintSnapshot.Time(maxMinutes, time == null ? null : time.deadline());
        }
        return new ConstraintSnapshot.Constraints(time, c.energy(), c.health(), c.budget(), narrowedTools,
                environment, c.risk());
    }

    private static @Nullable Double availableMinutes(ConstraintSnapshot.@Nullable Constraints constraints) {
        return constraints == null || constraints.time() == null ? null : constraints.time().availableMinutes();
    }
}
