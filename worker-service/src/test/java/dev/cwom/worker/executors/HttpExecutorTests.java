package dev.cwom.worker.executors;

import static dev.cwom.worker.executors.HttpRuns.hosts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.json.CwomJson;
import dev.cwom.model.ArtifactType;
import dev.cwom.model.FailureCategory;
import dev.cwom.worker.WorkerProperties;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;

/** The http executor's contract with an agent: the work order it posts, the answer, the deadline, the size cap. */
class HttpExecutorTests {

    private static final AllowedHosts LOOPBACK = hosts("127.0.0.1");

    @TempDir
    Path temp;

    private final FakeAgent agent;
    private final HttpExecutor http = new HttpExecutor(WorkerProperties.defaults().http(), Duration.ofMinutes(1),
            Clock.systemUTC());
    private HttpRuns runs;

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
        assertThat(workOrder.path("run_id").asString()).isEqualTo(runs.request().runId());
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
    void anAgentThatDoesNotAnswerWithinTheBudgetFailsAtTheDeadline() throws IOException {
        agent.hang(Duration.ofSeconds(30));
        long start = System.nanoTime();

        ExecutionResult result = run(new TestWorkOrder().issueMeta("webhook_url", agent.webhook()).minutes(0.02));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1200 + 1500));
        assertThat(result.failure().category()).isEqualTo(FailureCategory.RUNTIME);
        assertThat(result.failure().message()).contains("did not finish answering within the time budget of 0.02 min")
                .contains("waiting for the answer");
    }

    @Test
    void anInterruptEndsAWaitingCallAndClosesTheConnection() throws Exception {
        agent.hang(Duration.ofSeconds(30));
        java.util.concurrent.CompletableFuture<ExecutionResult> result = new java.util.concurrent.CompletableFuture<>();
        Thread runner = Thread.ofPlatform().start(() -> {
            try {
                result.complete(run(new TestWorkOrder().issueMeta("webhook_url", agent.webhook())));
            } catch (IOException e) {
                result.completeExceptionally(e);
            }
        });
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> agent.requests() == 1);

        runner.interrupt();

        ExecutionResult interrupted = result.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(interrupted.failure().category()).isEqualTo(FailureCategory.RUNTIME);
        assertThat(interrupted.failure().message()).startsWith(Executor.INTERRUPTED)
                .contains("the connection was closed");
    }

    @Test
    void anAnswerDrippedPastTheBudgetIsCutAtTheDeadline() throws Exception {
        agent.drip("{\"summary\": \"" + " ".repeat(200) + "\"}", Duration.ofMillis(100));
        long start = System.nanoTime();

        ExecutionResult result = run(new TestWorkOrder().issueMeta("webhook_url", agent.webhook()).minutes(0.02));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1200 + 1500));
        assertThat(result.failure().category()).isEqualTo(FailureCategory.RUNTIME);
        assertThat(result.failure().message()).contains("did not finish answering within the time budget of 0.02 min")
                .contains("reading the answer's body").contains("closed at the deadline");
        assertThat(agent.hungUpOn(Duration.ofSeconds(5))).as("the agent sees the connection closed").isTrue();
        assertThat(agent.sent()).isLessThan(100);
    }

    @Test
    void anAnswerLargerThanTheCapFailsAndReadingStopsThere() throws Exception {
        HttpExecutor capped = new HttpExecutor(new WorkerProperties.Http(null, null, null, DataSize.ofKilobytes(64),
                null), Duration.ofMinutes(1), Clock.systemUTC());
        agent.endless(200);

        ExecutionResult result = runs().run(capped, new TestWorkOrder().issueMeta("webhook_url", agent.webhook()),
                LOOPBACK);

        assertThat(result.failure().category()).isEqualTo(FailureCategory.DEPENDENCY);
        assertThat(result.failure().message()).contains("more than cwom.worker.http.max-answer-size (65536B)")
                .contains("reading stopped there");
        assertThat(agent.hungUpOn(Duration.ofSeconds(10))).as("the agent sees the connection closed").isTrue();
        assertThat(agent.sent()).as("bytes sent before the hang-up: the cap plus socket buffers")
                .isLessThan(DataSize.ofMegabytes(32).toBytes());
    }

    @Test
    void megabytesOfErrorTextBecomeAShortFailureMessage() throws IOException {
        agent.answer(502, "upstream exploded\n" + "stack frame\n".repeat(400_000));

        ExecutionResult result = run(new TestWorkOrder().issueMeta("webhook_url", agent.webhook()));

        assertThat(result.failure().category()).isEqualTo(FailureCategory.DEPENDENCY);
        assertThat(result.failure().message()).startsWith("Agent webhook " + agent.webhook() + " answered 502:"
                + " upstream exploded stack frame").doesNotContain("\n").hasSizeLessThan(500);
    }

    @Test
    void anAgentsOwnFailureMessageIsCutShort() throws IOException {
        agent.answer(200, "{\"failure\": {\"category\": \"test\", \"message\": \"" + "boom ".repeat(100_000) + "\"}}");

        ExecutionResult result = run(new TestWorkOrder().issueMeta("webhook_url", agent.webhook()));

        assertThat(result.failure().category()).isEqualTo(FailureCategory.TEST);
        assertThat(result.failure().message()).startsWith("Agent reported failure: boom boom")
                .contains("more characters").hasSizeLessThan(700);
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

    private ExecutionResult run(TestWorkOrder order) throws IOException {
        return runs().run(http, order, LOOPBACK);
    }

    private HttpRuns runs() {
        runs = new HttpRuns(temp);
        return runs;
    }
}
