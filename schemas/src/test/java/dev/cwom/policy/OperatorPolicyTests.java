package dev.cwom.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cwom.model.DoctrinePriority;
import dev.cwom.model.DoctrineRef;
import dev.cwom.model.DoctrineType;
import org.junit.jupiter.api.Test;

class OperatorPolicyTests {

    private static final String YAML = """
            executors: [noop, http]
            tools: {allowed: [echo, ls], blocked: [rm]}
            network: {allowed: false, hosts: ["agents.example.com"]}
            max_time_budget_seconds: 600
            repos:
              - slug: "acme/*"
                executors: [noop, shell]
              - slug: "acme/secret-*"
                secrets: true
            principals:
              - name: ci-bot
                tools: {allowed: ["*"], blocked: [sh]}
                max_time_budget_seconds: 3600
            """;

    @Test
    void aDocumentReadBeforeIsNotReadAgainAndABadOneIsRefusedEveryTime() {
        OperatorPolicy first = OperatorPolicy.parse(YAML);

        assertThat(OperatorPolicy.parse(YAML)).isSameAs(first);
        assertThat(OperatorPolicy.parse(YAML + "secrets: false\n")).isNotSameAs(first).isEqualTo(first);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> OperatorPolicy.parse("executors: [noop]\nbogus: 1\n"))
                    .isInstanceOf(PolicyDocumentException.class);
        }
    }

    @Test
    void emptyDocumentIsTheSafeDefault() {
        PolicyLimits limits = OperatorPolicy.parse("{}").limitsFor("any/repo", "anyone");

        assertThat(limits.executors()).containsExactly("noop");
        assertThat(limits.allowsTool("sh")).isFalse();
        assertThat(limits.network().allowed()).isFalse();
        assertThat(limits.network().hosts()).isEmpty();
        assertThat(limits.secrets()).isFalse();
        assertThat(limits.maxTimeBudgetSeconds()).isEqualTo(86_400);
        assertThat(limits.maxOutputBytes()).isEqualTo(100L * 1024 * 1024);
        assertThat(PolicyDoctrine.same(OperatorPolicy.parse("{}"), OperatorPolicy.SAFE)).isTrue();
    }

    @Test
    void repoOverridesApplyInOrderThenThePrincipals() {
        OperatorPolicy policy = OperatorPolicy.parse(YAML);

        assertThat(policy.limitsFor("other/x", "someone").executors()).containsExactly("noop", "http");
        PolicyLimits acme = policy.limitsFor("acme/secret-sauce", "ci-bot");
        assertThat(acme.executors()).containsExactly("noop", "shell");
        assertThat(acme.secrets()).isTrue();
        assertThat(acme.maxTimeBudgetSeconds()).isEqualTo(3600);
        assertThat(acme.allowsTool("make")).isTrue();
        assertThat(acme.allowsTool("sh")).isFalse();
        assertThat(policy.limitsFor("acme/web", "someone").secrets()).isFalse();
        assertThat(policy.limitsFor("acme/web", "someone").allowsTool("make")).isFalse();
    }

    @Test
    void jsonIsReadToo() {
        OperatorPolicy policy = OperatorPolicy.parse("{\"executors\":[\"*\"],\"network\":{\"allowed\":true}}");

        assertThat(policy.limitsFor(null, null).allowsExecutor("shell")).isTrue();
        assertThat(policy.limitsFor(null, null).network().allowed()).isTrue();
    }

    @Test
    void refusesUnknownFieldsNamingThem() {
        assertThatThrownBy(() -> OperatorPolicy.parse("executor: [noop]"))
                .isInstanceOf(PolicyDocumentException.class).hasMessageContaining("executor");
    }

    @Test
    void refusesUnknownExecutorsAndBadRanges() {
        assertThatThrownBy(() -> OperatorPolicy.parse("executors: [docker]\nmax_time_budget_seconds: 0"))
                .isInstanceOf(PolicyDocumentException.class)
                .hasMessageContaining("'docker'").hasMessageContaining("max_time_budget_seconds is 0");
        assertThatThrownBy(() -> OperatorPolicy.parse("repos: [{executors: [noop]}]"))
                .hasMessageContaining("repos[0] must give a slug glob");
        assertThatThrownBy(() -> OperatorPolicy.parse("[1, 2]")).isInstanceOf(PolicyDocumentException.class);
    }

    @Test
    void travelsAsAMustPolicyDoctrineRefThatReadsBackTheSame() {
        OperatorPolicy policy = OperatorPolicy.parse(YAML);

        DoctrineRef doctrine = PolicyDoctrine.of(policy, 3);

        assertThat(doctrine.namespace()).isEqualTo("cwom.operator");
        assertThat(doctrine.version()).isEqualTo("3");
        assertThat(doctrine.type()).isEqualTo(DoctrineType.POLICY);
        assertThat(doctrine.priority()).isEqualTo(DoctrinePriority.MUST);
        assertThat(doctrine.statement()).contains("executors [noop, http]");
        assertThat(PolicyDoctrine.same(PolicyDoctrine.policyOf(doctrine).orElseThrow(), policy)).isTrue();
        assertThat(PolicyDoctrine.same(OperatorPolicy.SAFE, policy)).isFalse();
    }
}
