package dev.cwom.worker.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.cwom.json.CwomJson;
import dev.cwom.model.Connectivity;
import dev.cwom.model.DoctrineRef;
import dev.cwom.policy.OperatorPolicy;
import dev.cwom.policy.PolicyDoctrine;
import dev.cwom.worker.WorkerProperties;
import dev.cwom.worker.executors.AllowedHosts;
import dev.cwom.worker.executors.ExecutionRequest;
import dev.cwom.worker.executors.InvalidPinnedInputException;
import dev.cwom.worker.executors.PinnedInput;
import dev.cwom.worker.executors.TestWorkOrder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pinned operator policy and the worker's ceiling, enforced again at execution. */
class RunPolicyTests {

    private static final String SHELL_AND_SH = """
            {"executors": ["noop", "shell"], "tools": {"allowed": ["sh", "echo"]}}""";
    private static final String POLICY_ID = "01KP011CY0000000000000000A";

    @Test
    void theWorkersCeilingRefusesShEvenWhenThePolicyAllowsIt() {
        RunPolicy.Outcome outcome = new RunPolicy(withCeiling(List.of("sh", "bash")))
                .apply(request(withPolicy(new TestWorkOrder().commands(List.of("sh", "-c", "id")).allowed("sh"),
                        SHELL_AND_SH)), "shell", "ana");

        assertThat(outcome.request()).isNull();
        assertThat(outcome.refusal()).contains("POLICY_TOOL_FORBIDDEN")
                .contains("tool 'sh' is blocked by the worker's ceiling (cwom.worker.ceiling)")
                .doesNotContain("by the operator policy v1");
        assertThat(outcome.decision()).contains("the operator policy v1 (sha256:").contains("requested by ana");
    }

    @Test
    void thePinnedPolicyRefusesWhatItDoesNotAllowWhateverTheSnapshotSays() {
        RunPolicy.Outcome outcome = new RunPolicy(WorkerProperties.defaults()).apply(request(withPolicy(
                new TestWorkOrder().commands(List.of("curl", "http://x")).allowed("curl"), SHELL_AND_SH)),
                "shell", "ana");

        assertThat(outcome.refusal()).contains("tool 'curl' is not allowed by the operator policy v1");
    }

    @Test
    void anAdmittedRunExecutesUnderTheNarrowedConstraints() {
        RunPolicy.Outcome outcome = new RunPolicy(WorkerProperties.defaults()).apply(request(withPolicy(
                new TestWorkOrder().commands(List.of("echo", "hi")).allowed("echo", "make"), SHELL_AND_SH)),
                "shell", "ana");

        assertThat(outcome.refusal()).isNull();
        assertThat(outcome.request().limits().tools().allowed()).containsExactly("echo");
        assertThat(outcome.request().limits().tools().blocked()).contains("make");
        assertThat(outcome.request().limits().environment().connectivity()).isEqualTo(Connectivity.OFFLINE);
        assertThat(outcome.request().maxOutputBytes()).as("the policy's default max_output_bytes, below the ceiling's")
                .isEqualTo(100L * 1024 * 1024);
    }

    @Test
    void anAdmittedHttpRunCarriesThePolicysAndTheCeilingsHostsToTheExecutor() {
        RunPolicy.Outcome outcome = new RunPolicy(WorkerProperties.defaults()).apply(request(withPolicy(
                new TestWorkOrder().issueMeta("webhook_url", "http://127.0.0.1:9/agent"),
                "{\"executors\": [\"http\"], \"network\": {\"allowed\": false, \"hosts\": [\"127.0.0.1\"]}}")), "http", "ana");

        assertThat(outcome.refusal()).isNull();
        assertThat(outcome.request().allowedHosts().sources())
                .extracting(AllowedHosts.Source::label, s -> s.limits().network().hosts())
                .containsExactly(tuple("the operator policy v1", List.of("127.0.0.1")),
                        tuple("the worker's ceiling (cwom.worker.ceiling)", List.of("*")));
    }

    @Test
    void withoutAPinnedPolicyTheCeilingAloneApplies() {
        RunPolicy.Outcome outcome = new RunPolicy(withCeiling(List.of("sh")))
                .apply(request(new TestWorkOrder().commands(List.of("echo", "hi")).allowed("echo").inputs()),
                        "shell", null);

        assertThat(outcome.refusal()).isNull();
        assertThat(outcome.decision()).contains("no operator policy pinned");
        assertThat(outcome.request().maxOutputBytes()).as("the ceiling's").isEqualTo(1024L * 1024 * 1024);
    }

    @Test
    void aPolicyChangedAfterItWasPinnedIsRefusedByItsDigest() {
        List<PinnedInput> inputs = withPolicy(new TestWorkOrder(), SHELL_AND_SH);
        PinnedInput policy = inputs.getLast();
        inputs.set(inputs.size() - 1, new PinnedInput(policy.kind(), policy.id(), policy.version(), policy.digest(),
                policy.canonicalJson().replace("\"sh\"", "\"bash\"")));

        assertThatThrownBy(() -> request(inputs)).isInstanceOf(InvalidPinnedInputException.class)
                .hasMessageContaining("does not match its pinned digest");
    }

    private static List<PinnedInput> withPolicy(TestWorkOrder order, String policyJson) {
        DoctrineRef doctrine = PolicyDoctrine.of(OperatorPolicy.parse(policyJson), 1)
                .withIdentity(POLICY_ID, Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"));
        @SuppressWarnings("unchecked")
        Map<String, Object> object = CwomJson.mapper().convertValue(doctrine, Map.class);
        List<PinnedInput> inputs = new ArrayList<>(order.inputs());
        inputs.add(TestWorkOrder.input(DoctrineRef.KIND, POLICY_ID, "1", object));
        return inputs;
    }

    private static ExecutionRequest request(List<PinnedInput> inputs) {
        return ExecutionRequest.of("01KRUN0000000000000000000P", inputs, Path.of("/tmp/unused"));
    }

    private static WorkerProperties withCeiling(List<String> blocked) {
        return new WorkerProperties(null, null, null, null, null, null, null, null, null, null,
                new WorkerProperties.Ceiling(null, null, blocked, null, null, null, null, null));
    }
}
