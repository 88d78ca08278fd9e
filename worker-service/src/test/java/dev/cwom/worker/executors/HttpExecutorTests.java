package dev.cwom.worker.executors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.json.CwomJson;
import dev.cwom.model.ArtifactType;
import dev.cwom.model.FailureCategory;
import dev.cwom.worker.WorkerProperties;
import dev.cwom.worker.trace.TraceFolder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class HttpExecutorTests {

    @TempDir
    Path temp;

    private final FakeAgent agent;
    private final HttpExecutor http = new HttpExecutor(WorkerProperties.defaults().http(), Duration.ofMinutes(1),
            Clock.systemUTC());
    private ExecutionRequest request;
    private TraceFolder trace;

    HttpExecutorTests() throws IOException {
        agent = new FakeAgent();
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    @Test
    void postsTheWorkOrderAndTurnsTheAnswerIntoOutputs() throws IOException {
        agent.answer(200, """
                {"summary": "Wrote the plan",
                 "artifacts": [
                   {"title": "Plan", "type": "doc", "media_type": "text/markdown", "content": "# Plan"},
                   {"title": "Findings", "content": {"ok": true}},
                   {"title": "Pull request", "type": "pr", "uri": "https://git.example/acme/app/pull/7"}],
                 "decision_log": ["kept it small"],
                 "cost": {"usd": 0.02, "tokens": 1500}}
                """);
        TestWorkOrder order = new TestWorkOrder().issueMeta("webhook_url", agent.webhook()).minutes(1);

        ExecutionResult result = run(order);

        assertThat(result.succeeded()).isTrue();
        assertThat(result.resultSummary()).isEqualTo("Wrote the plan");
        assertThat(result.outputs()).extracting(ExecutionOutput::title).containsExactly("Plan", "Findings", "Pull request");
        assertThat(result.outputs()).extracting(ExecutionOutput::type)
                .containsExactly(ArtifactType.DOC, ArtifactType.REPORT, ArtifactType.PR);
        assertThat(Files.readString(result.outputs().get(0).file())).isEqualTo("# Plan");
        assertThat(result.outputs().get(1).mediaType()).isEqualTo("application/json");
        assertThat(result.outputs().get(2).uri()).isEqualTo(URI.create("https://git.example/acme/app/pull/7"));
        assertThat(result.decisionLog()).contains("agent: kept it small");
        assertThat(result.cost().usd()).isEqualTo(0.02);
        assertThat(result.cost().tokens()).isEqualTo(1500L);

        JsonNode workOrder = CwomJson.mapper().readTree(agent.received());
        assertThat(workOrder.path("run_id").asString()).isEqualTo(request.runId());
        assertThat(workOrder.path("issue").path("id").asString()).isEqualTo(order.issueId);
        assertThat(workOrder.path("time_budget_seconds").asDouble()).isEqualTo(60.0);
        assertThat(workOrder.path("pinned").size()).isEqualTo(order.inputs().size());
        assertThat(workOrder.path("pinned").get(0).path("digest").asString())
                .isEqualTo(order.inputs().getFirst().digest());
    }

    @Test
    void aServerErrorFailsWithDependencyAndSaysWhatTheAgentAnswered() throws IOException {
        agent.answer(500, "{\"error\": \"model overloaded\"}");

        ExecutionResult result = run(new TestWorkOrder().issueMeta("webhook_url", agent.webhook()));

        assertThat(result.failure().category()).isEqualTo(FailureCategory.DEPENDENCY);
        assertThat(result.failure().message()).contains("answered 500").contains("model overloaded");
    }

    @Test
    void anAgentThatDoesNotAnswerWithinTheBudgetFailsWithDependency() throws IOException {
        agent.hang(Duration.ofSeconds(30));
        long start = System.nanoTime();

        ExecutionResult result = run(new TestWorkOrder().issueMeta("webhook_url", agent.webhook()).minutes(0.05));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertThat(result.failure().category()).isEqualTo(FailureCategory.DEPENDENCY);
        assertThat(result.failure().message()).contains("did not answer within the time budget of 0.05 min");
    }

    @Test
    void anAnswerThatIsNotTheContractFailsWithDependency() throws IOException {
        agent.answer(200, "{\"artifacts\": [{\"content\": \"untitled\"}]}");

        ExecutionResult result = run(new TestWorkOrder().issueMeta("webhook_url", agent.webhook()));

        assertThat(result.failure().category()).isEqualTo(FailureCategory.DEPENDENCY);
        assertThat(result.failure().message()).contains("artifact 1 has no 'title'");
    }

    @Test
    void withoutAWebhookTheRunIsRefusedWithPolicy() throws IOException {
        ExecutionResult result = run(new TestWorkOrder());

        assertThat(result.failure().category()).isEqualTo(FailureCategory.POLICY);
        assertThat(result.failure().message()).contains("meta.webhook_url").contains("cwom.worker.http.webhook-url");
        assertThat(agent.received()).isNull();
    }

    @Test
    void aWebhookOutsideTheAllowedPrefixesIsRefused() throws IOException {
        HttpExecutor restricted = new HttpExecutor(new WorkerProperties.Http(null, List.of("https://agents.internal/"),
                null), Duration.ofMinutes(1), Clock.systemUTC());
        String runId = "01KRUN" + System.nanoTime();
        request = new TestWorkOrder().issueMeta("webhook_url", agent.webhook()).request(runId, temp.resolve("work"));
        trace = TraceFolder.create(temp.resolve("traces"), runId, Clock.systemUTC());

        ExecutionResult result = restricted.execute(request, trace);

        assertThat(result.failure().category()).isEqualTo(FailureCategory.POLICY);
        assertThat(result.failure().message()).contains("allowed-url-prefixes");
        assertThat(agent.received()).isNull();
    }

    private ExecutionResult run(TestWorkOrder order) throws IOException {
        String runId = "01KRUN" + System.nanoTime();
        request = order.request(runId, temp.resolve("work"));
        trace = TraceFolder.create(temp.resolve("traces"), runId, Clock.systemUTC());
        return http.execute(request, trace);
    }
}
