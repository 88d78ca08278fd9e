package dev.cwom.worker.executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cwom.model.FailureCategory;
import dev.cwom.model.IssueType;
import dev.cwom.worker.WorkerProperties;
import dev.cwom.worker.trace.TraceFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutorRegistryTests {

    @TempDir
    Path temp;

    private final WorkerProperties defaults = WorkerProperties.defaults();
    private final ExecutorRegistry registry = new ExecutorRegistry(List.of(new NoopExecutor(),
            new ShellExecutor(defaults.shell(), Duration.ofMinutes(1), Clock.systemUTC()),
            new HttpExecutor(defaults.http(), Duration.ofMinutes(1), Clock.systemUTC())),
            defaults.executors().byType());

    @Test
    void choosesByIssueTypeWithSaneDefaults() throws IOException {
        assertThat(registry.select(request(new TestWorkOrder().type("research")).issue().value()).name())
                .isEqualTo("noop");
        assertThat(registry.select(request(new TestWorkOrder().type("chore")).issue().value()).name())
                .isEqualTo("noop");
        assertThat(registry.select(request(new TestWorkOrder().type("bug")).issue().value()).name())
                .isEqualTo("shell");
    }

    @Test
    void theIssuesMetaExecutorWinsOverItsType() throws IOException {
        TestWorkOrder order = new TestWorkOrder().type("research").issueMeta("executor", "http");

        assertThat(registry.select(request(order).issue().value()).name()).isEqualTo("http");
    }

    @Test
    void anUnknownExecutorFailsWithPolicyNamingTheKnownOnes() throws IOException {
        ExecutionRequest request = request(new TestWorkOrder().issueMeta("executor", "quantum"));
        TraceFolder trace = TraceFolder.create(temp.resolve("traces"), request.runId(), Clock.systemUTC());

        ExecutionResult result = registry.select(request.issue().value()).execute(request, trace);

        assertThat(result.failure()).isNotNull();
        assertThat(result.failure().category()).isEqualTo(FailureCategory.POLICY);
        assertThat(result.failure().message()).contains("'quantum'").contains("[http, noop, shell]");
    }

    @Test
    void aTypeMappingToAMissingExecutorIsAStartupError() {
        assertThatThrownBy(() -> new ExecutorRegistry(List.of(new NoopExecutor()), Map.of(IssueType.BUG, "shell")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cwom.worker.executors.by-type.bug").hasMessageContaining("[noop]");
    }

    private ExecutionRequest request(TestWorkOrder order) throws IOException {
        return order.request("01KRUN" + System.nanoTime(), temp.resolve("work"));
    }
}
