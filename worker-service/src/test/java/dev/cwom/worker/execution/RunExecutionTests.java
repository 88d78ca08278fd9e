package dev.cwom.worker.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cwom.service.tracing.TraceHeaders;
import dev.cwom.json.CwomJson;
import dev.cwom.json.Digests;
import dev.cwom.model.ArtifactType;
import dev.cwom.model.FailureCategory;
import dev.cwom.model.RunMode;
import dev.cwom.model.Status;
import dev.cwom.worker.WorkerProperties;
import dev.cwom.worker.blobs.BlobStoreClient;
import dev.cwom.worker.blobs.BlobStoreStub;
import dev.cwom.worker.blobs.BlobStoreUnavailableException;
import dev.cwom.worker.executors.ExecutionRequest;
import dev.cwom.worker.executors.ExecutionResult;
import dev.cwom.worker.executors.Executor;
import dev.cwom.worker.executors.ExecutorRegistry;
import dev.cwom.worker.executors.NoopExecutor;
import dev.cwom.worker.executors.PinnedInput;
import dev.cwom.worker.executors.ShellExecutor;
import dev.cwom.worker.executors.TestWorkOrder;
import dev.cwom.worker.trace.TraceRecorder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class RunExecutionTests {

    @TempDir
    Path temp;

    private final BlobStoreStub store;

    RunExecutionTests() throws IOException {
        store = new BlobStoreStub();
    }

    @AfterEach
    void stop() {
        store.close();
    }

    @Test
    void aNoopRunUploadsItsReportAndATraceBundleWhoseBlobMatchesItsDigest() throws IOException {
        TestWorkOrder order = new TestWorkOrder().type("research").minutes(1);
        RunExecution execution = execution(store.url());

        PreparedRun prepared = execution.prepare("01KRUN0000000000000000000A", order.inputs());
        ExecutedRun run = execution.execute(prepared);

        assertThat(prepared.refusal()).isNull();
        assertThat(prepared.contextPackets()).singleElement()
                .satisfies(ref -> assertThat(ref.digest()).isEqualTo(order.inputs().get(2).digest()));
        assertThat(prepared.constraintSnapshot()).isNotNull();
        assertThat(run.status()).isEqualTo(Status.DONE);
        assertThat(run.executor()).isEqualTo("noop");
        assertThat(run.mode()).isEqualTo(RunMode.SYSTEM);
        assertThat(run.outputs()).singleElement().satisfies(report -> {
            assertThat(report.type()).isEqualTo(ArtifactType.REPORT);
            assertThat(report.preview()).contains("\"run_id\"");
        });
        assertThat(run.artifacts()).last().isEqualTo(run.trace());
        assertThat(run.trace().type()).isEqualTo(ArtifactType.TRACE);
        assertThat(run.trace().mediaType()).isEqualTo("application/zip");
        assertThat(run.trace().preview()).contains("manifest.json");
        byte[] uploadedTrace = store.received().getLast().body();
        assertThat(Digests.sha256(uploadedTrace)).isEqualTo(run.trace().digest());
        assertThat(run.trace().sizeBytes()).isEqualTo(uploadedTrace.length);
        assertThat(run.trace().uri()).isEqualTo(store.url().resolve("/blobs/" + run.trace().digest()).toString());
        assertThat(store.requests()).as("the report and the trace bundle in one upload").isEqualTo(1);
        assertThat(store.received()).extracting(BlobStoreStub.Received::contentType)
                .containsExactly("application/json", "application/zip");
        assertThat(store.received().getFirst().expectedDigest()).isEqualTo(run.outputs().getFirst().digest());
        // context.json holds the pinned objects as the bytes that were pinned (each hashes to its digest)
        Path context = prepared.trace().path().resolve("context.json");
        assertThat(Files.readString(context)).contains(order.inputs().stream().map(PinnedInput::canonicalJson)
                .toArray(String[]::new));
        assertThat(CwomJson.mapper().readTree(context.toFile()).path("repo").path("slug").asString())
                .isEqualTo("acme/app");

        JsonNode manifest = CwomJson.mapper().readTree(prepared.trace().path().resolve("manifest.json").toFile());
        assertThat(manifest.path("status").asString()).isEqualTo("done");
        assertThat(manifest.path("issue").path("id").asString()).isEqualTo(order.issueId);
        assertThat(manifest.path("inputs").size()).isEqualTo(5);
        assertThat(manifest.path("timing").path("duration_s").isNumber()).isTrue();
        assertThat(manifest.path("outputs").get(0).path("path").asString()).isEqualTo("artifacts/pinned-inputs.json");
        assertThat(Files.readString(prepared.trace().path().resolve("events.jsonl")))
                .contains("run.started", "inputs.verified", "noop.report", "run.finished");
        assertThat(prepared.workDir()).doesNotExist();
    }

    @Test
    void aRunWhoseIssueIsCanceledBeforeItsExecutorStartsExecutesNothingAndEndsCanceled() throws IOException {
        TestWorkOrder order = new TestWorkOrder().type("research");
        RunExecution execution = execution(store.url());
        PreparedRun prepared = execution.prepare("01KRUN0000000000000000000E", order.inputs());
        RunCancellation cancellation = new RunCancellation();
        Instant canceledAt = Instant.parse("2026-12-01T10:00:00Z");

        assertThat(cancellation.cancel("Issue " + order.issueId + " was canceled at " + canceledAt)).isTrue();
        ExecutedRun run = execution.execute(prepared, cancellation);

        assertThat(run.status()).isEqualTo(Status.CANCELED);
        assertThat(run.failure()).isNull();
        assertThat(run.resultSummary()).contains("Issue " + order.issueId + " was canceled at " + canceledAt);
        assertThat(run.outputs()).as("noop's report is not written: the executor never ran").isEmpty();
        assertThat(run.trace().digest()).isEqualTo(Digests.sha256(store.received().getLast().body()));
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        JsonNode manifest = CwomJson.mapper().readTree(prepared.trace().path().resolve("manifest.json").toFile());
        assertThat(manifest.path("status").asString()).isEqualTo("canceled");
        assertThat(cancellation.cancel("again")).as("asked once").isFalse();
    }

    @Test
    void inputsThatDoNotMatchTheirDigestFailWithPolicyAndExecuteNothing() {
        TestWorkOrder order = new TestWorkOrder().commands("touch executed").allowed("touch");
        List<PinnedInput> inputs = new ArrayList<>(order.inputs());
        PinnedInput packet = inputs.get(2);
        inputs.set(2, new PinnedInput(packet.kind(), packet.id(), packet.version(), packet.digest(),
                packet.canonicalJson().replace("touch executed", "touch tampered")));
        RunExecution execution = execution(store.url());

        PreparedRun prepared = execution.prepare("01KRUN0000000000000000000B", inputs);
        Path workDir = prepared.workDir();
        ExecutedRun run = execution.execute(prepared);

        assertThat(prepared.refusal()).contains("does not match its pinned digest");
        assertThat(prepared.pinned()).hasSize(inputs.size());
        assertThat(run.status()).isEqualTo(Status.FAILED);
        assertThat(run.failure().category()).isEqualTo(FailureCategory.POLICY);
        assertThat(run.outputs()).isEmpty();
        assertThat(workDir.resolve("executed")).doesNotExist();
        assertThat(workDir.resolve("tampered")).doesNotExist();
        assertThat(run.trace().digest()).isEqualTo(Digests.sha256(store.received().getLast().body()));
    }

    @Test
    void anExecutorThatThrowsFailsTheRunAsUnknownAndStillLeavesATrace() {
        Executor broken = new Executor() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public ExecutionResult execute(ExecutionRequest request, TraceRecorder trace) {
                throw new IllegalStateException("bug in the executor");
            }
        };
        RunExecution execution = new RunExecution(properties(store.url()),
                new ExecutorRegistry(List.of(new NoopExecutor(), broken), java.util.Map.of()),
                client(store.url()), Clock.systemUTC(), TraceHeaders.standalone());

        ExecutedRun run = execution.execute(execution.prepare("01KRUN0000000000000000000C",
                new TestWorkOrder().issueMeta("executor", "broken").inputs()));

        assertThat(run.failure().category()).isEqualTo(FailureCategory.UNKNOWN);
        assertThat(run.failure().message()).contains("'broken'").contains("bug in the executor");
        assertThat(run.trace().type()).isEqualTo(ArtifactType.TRACE);
    }

    @Test
    void anUnreachableBlobStoreIsReportedAsTransient() throws IOException {
        URI closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        RunExecution execution = execution(closed);
        PreparedRun prepared = execution.prepare("01KRUN0000000000000000000D",
                new TestWorkOrder().type("doc").inputs());

        assertThatThrownBy(() -> execution.execute(prepared)).isInstanceOf(BlobStoreUnavailableException.class);
    }

    private RunExecution execution(URI blobStore) {
        WorkerProperties properties = properties(blobStore);
        return new RunExecution(properties, new ExecutorRegistry(List.of(new NoopExecutor(),
                new ShellExecutor(properties.shell(), Duration.ofMinutes(1), Clock.systemUTC())),
                properties.executors().byType()), client(blobStore), Clock.systemUTC(), TraceHeaders.standalone());
    }

    private WorkerProperties properties(URI blobStore) {
        return new WorkerProperties("worker-test", temp.resolve("traces"), temp.resolve("work"), null, null, null,
                null, null, blobs(blobStore), null, null);
    }

    private static WorkerProperties.Blobs blobs(URI url) {
        return new WorkerProperties.Blobs(url, 2, Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofSeconds(2),
                Duration.ofSeconds(10), null);
    }

    private static BlobStoreClient client(URI url) {
        return new BlobStoreClient(blobs(url), TraceHeaders.standalone());
    }
}
