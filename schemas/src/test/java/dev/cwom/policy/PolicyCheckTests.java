package dev.cwom.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.model.Connectivity;
import dev.cwom.model.ConstraintScope;
import dev.cwom.model.ConstraintSnapshot;
import dev.cwom.model.ContextPacket;
import dev.cwom.model.Ref;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class PolicyCheckTests {

    private static final PolicyLimits LIMITS = OperatorPolicy.parse("""
            executors: [noop, shell, http]
            tools: {allowed: [echo, ls], blocked: [rm]}
            network: {allowed: false, hosts: ["*.agents.example"]}
            max_time_budget_seconds: 600
            """).limitsFor("me/repo", "me");

    @Test
    void withinThePolicyIsAllowed() {
        PolicyDecision decision = PolicyCheck.decide("the policy", LIMITS,
                snapshot(5.0, List.of("echo"), Map.of()), new RunAsk("shell", List.of("echo", "ls"), null), null);

        assertThat(decision.allowed()).isTrue();
        assertThat(decision.violations()).isEmpty();
    }

    @Test
    void refusesEachAskBeyondThePolicyWithItsCode() {
        PolicyDecision decision = PolicyCheck.decide("the operator policy v2",
                OperatorPolicy.SAFE.limitsFor("me/repo", "me"),
                snapshot(24 * 60 + 1.0, List.of("sh"), Map.of("allow_network", true, "allow_secrets", true)),
                new RunAsk("shell", List.of("sh"), null), null);

        assertThat(decision.violations()).extracting(PolicyViolation::code).containsExactly(
                "POLICY_EXECUTOR_FORBIDDEN", "POLICY_TOOL_FORBIDDEN", "POLICY_NETWORK_FORBIDDEN",
                "POLICY_SECRETS_FORBIDDEN", "POLICY_TIME_BUDGET_EXCEEDED");
        assertThat(decision.describe()).contains("tool 'sh' is not allowed by the operator policy v2")
                .contains("ask for 86400 s or less");
    }

    @Test
    void blockedToolsAndWebhookHostsAreRefused() {
        PolicyDecision blocked = PolicyCheck.decide("p", LIMITS, null, new RunAsk("shell", List.of("rm"), null), null);
        PolicyDecision host = PolicyCheck.decide("p", LIMITS, null,
                new RunAsk("http", List.of(), "evil.example.com"), null);
        PolicyDecision goodHost = PolicyCheck.decide("p", LIMITS, null,
                new RunAsk("http", List.of(), "a.agents.example"), null);

        assertThat(blocked.describe()).contains("tool 'rm' is blocked");
        assertThat(host.violations()).extracting(PolicyViolation::code).containsExactly("POLICY_NETWORK_FORBIDDEN");
        assertThat(goodHost.allowed()).isTrue();
    }

    @Test
    void asubmitterCanOnlyNarrow() {
        PolicyDecision decision = PolicyCheck.decide("p", LIMITS, snapshot(3.0, List.of("echo", "sh"), Map.of()),
                new RunAsk("shell", List.of("echo"), null), null);

        ConstraintSnapshot.Constraints effective = decision.effective();
        assertThat(effective.tools().allowed()).containsExactly("echo");
        assertThat(effective.tools().blocked()).containsExactly("rm", "sh");
        assertThat(effective.environment().connectivity()).isEqualTo(Connectivity.OFFLINE);
        assertThat(effective.time().availableMinutes()).isEqualTo(3.0);
    }

    @Test
    void anAllowListNarrowedToNothingStillBlocksWhatItNamed() {
        ConstraintSnapshot.Constraints effective = PolicyCheck.narrow(LIMITS,
                snapshot(null, List.of("sh"), Map.of()).constraints(), null);

        assertThat(effective.tools().allowed()).isEmpty();
        assertThat(effective.tools().blocked()).contains("sh");
    }

    @Test
    void aFallbackBudgetAboveTheLimitIsCutToTheLimit() {
        assertThat(PolicyCheck.narrow(LIMITS, null, Duration.ofMinutes(15)).time().availableMinutes()).isEqualTo(10.0);
        assertThat(PolicyCheck.narrow(LIMITS, null, Duration.ofMinutes(5)).time()).isNull();
    }

    @Test
    void readsToolsFromEveryFormOfCommand() {
        ContextPacket packet = new ContextPacket(null, null, Ref.to("Issue", "01HZZZZZZZZZZZZZZZZZZZZZZZ"), "1", null,
                null, null, null, null, null, null, null, Map.of("commands", List.of(List.of("sh", "-c", "id"),
                        "'ls' -la", Map.of("run", "echo hi"), Map.of("run", List.of("make")), List.of("sh"))),
                null, null);

        assertThat(RunAsk.toolsOf(List.of(packet))).containsExactly("sh", "ls", "echo", "make");
    }

    private static ConstraintSnapshot snapshot(@Nullable Double minutes, List<String> allowed,
            Map<String, Object> meta) {
        return new ConstraintSnapshot(null, null, ConstraintScope.RUN, null, null,
                new ConstraintSnapshot.Constraints(new ConstraintSnapshot.Time(minutes, null), null, null, null,
                        new ConstraintSnapshot.Tools(allowed, List.of()), null, null),
                List.of(), meta, null, null);
    }
}
