package dev.cwom.policy;

/**
 * One way a run asks beyond a policy: a stable code and a message naming the rule, the value and the fix.
 *
 * @param code one of the {@code POLICY_*} codes below
 * @param message what was asked, what the policy allows, and what to change
 */
public record PolicyViolation(String code, String message) {

    /** The Issue's executor is not among the policy's {@code executors}. */
    public static final String EXECUTOR_FORBIDDEN = "POLICY_EXECUTOR_FORBIDDEN";
    /** A command starts a tool the policy does not allow or blocks. */
    public static final String TOOL_FORBIDDEN = "POLICY_TOOL_FORBIDDEN";
    /** Network asked for (allow_network, or a webhook host) that the policy does not allow. */
    public static final String NETWORK_FORBIDDEN = "POLICY_NETWORK_FORBIDDEN";
    /** A time budget above the policy's {@code max_time_budget_seconds}. */
    public static final String TIME_BUDGET_EXCEEDED = "POLICY_TIME_BUDGET_EXCEEDED";
    /** Secrets asked for where the policy allows none. */
    public static final String SECRETS_FORBIDDEN = "POLICY_SECRETS_FORBIDDEN";
    /** The run's outputs are larger than the policy's {@code max_output_bytes} (found at execution). */
    public static final String OUTPUT_TOO_LARGE = "POLICY_OUTPUT_TOO_LARGE";

    @Override
    public String toString() {
        return code + ": " + message;
    }
}
