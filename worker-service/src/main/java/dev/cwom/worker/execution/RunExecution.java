package dev.cwom.worker.execution;

import dev.cwom.model.ArtifactType;
import dev.cwom.model.FailureCategory;
import dev.cwom.model.Ids;
import dev.cwom.model.Issue;
import dev.cwom.model.Ref;
import dev.cwom.model.Run;
import dev.cwom.model.Status;
import dev.cwom.service.tracing.TraceHeaders;
import dev.cwom.service.tracing.TracedWork;
import dev.cwom.worker.WorkerProperties;
import dev.cwom.worker.blobs.BlobStoreClient;
import dev.cwom.worker.blobs.UploadedBlob;
import dev.cwom.worker.disk.FileTrees;
import dev.cwom.worker.disk.RunFolders;
import dev.cwom.worker.executors.ExecutionOutput;
import dev.cwom.worker.executors.ExecutionRequest;
import dev.cwom.worker.executors.ExecutionResult;
import dev.cwom.worker.executors.Executor;
import dev.cwom.worker.executors.ExecutorRegistry;
import dev.cwom.worker.executors.InvalidPinnedInputException;
import dev.cwom.worker.executors.PinnedInput;
import dev.cwom.worker.executors.VerifiedInputs;
import dev.cwom.worker.trace.TraceBundle;
import dev.cwom.worker.trace.TraceBundler;
import dev.cwom.worker.trace.TraceFolder;
import dev.cwom.worker.trace.TraceManifest;
import dev.cwom.worker.trace.TraceRecorder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run from pinned inputs to uploaded artifacts, without Kafka: {@link #prepare} checks and pins the inputs and
 * creates the trace folder and working directory (publish {@code RunStarted} after it); {@link #execute} runs the
 * chosen executor, finishes the trace, bundles it, uploads the outputs and the bundle to the blob store, and returns
 * what {@code ArtifactCreated} and {@code RunFinished} need. Blocking: call it off the consumer's polling thread.
 */
public final class RunExecution {

    private static final Logger log = LoggerFactory.getLogger(RunExecution.class);
    private static final int TEXT_PREVIEW_CHARS = 500;

    private final WorkerProperties properties;
    private final ExecutorRegistry registry;
    private final BlobStoreClient blobs;
    private final TraceBundler bundler = new TraceBundler();
    private final Clock clock;
    private final RunPolicy policy;
    private final TraceHeaders traces;
    // Repos and policies that every work order of a Repo pins again: read and validated once per content
    private final VerifiedInputs verified = VerifiedInputs.bounded();

    /**
     * @param traces the run's trace: {@link #prepare} keeps the current span's context (the worker's span for the
     *     work order) on the prepared run, {@link #execute} continues it on the executor thread
     */
    public RunExecution(WorkerProperties properties, ExecutorRegistry registry, BlobStoreClient blobs, Clock clock,
            TraceHeaders traces) {
        this.traces = traces;
        this.properties = properties;
        this.registry = registry;
        this.blobs = blobs;
        this.clock = clock;
        this.policy = new RunPolicy(properties);
    }

    /**
     * Starts the span of picking up a work order, continuing the trace its record carries ({@code traceparent}, or a
     * new trace), and puts it in scope: {@link #prepare} called within it makes the run part of that trace.
     */
    public TracedWork pickUp(Headers workOrderHeaders) {
        return traces.continueFrom(workOrderHeaders, "cwom.worker.pickup");
    }

    /**
     * Starts a run: creates {@code <trace-root>/<runId>/} and {@code <work-root>/<runId>/}, checks every input's
     * digest, reads and validates it, and chooses the executor. Inputs that cannot be trusted or used do not throw:
     * the prepared run carries the refusal, and {@link #execute} fails it with {@code policy} without executing
     * anything. That includes any unexpected failure while the inputs are read or the executor chosen: it comes from
     * the work order's content, so trying the same work order again would meet it again.
     *
     * @throws UncheckedIOException when the trace folder or working directory cannot be created or written (a local
     *     failure, worth trying again later); what this call created is removed again
     */
    /** The configured executors' names. */
    public List<String> executorNames() {
        return registry.names();
    }

    public PreparedRun prepare(String runId, List<PinnedInput> inputs) {
        return prepare(runId, inputs, null);
    }

    /**
     * {@link #prepare(String, List)} for a run asked for by {@code requestedBy} (the work order's
     * {@code requested_by}): the pinned operator policy and this worker's ceiling are applied too, and a run asking
     * beyond either is refused with {@code policy} like any input that cannot be used.
     */
    public PreparedRun prepare(String runId, List<PinnedInput> inputs, @Nullable String requestedBy) {
        Instant startedAt = clock.instant();
        List<Ref> pinned = inputs.stream().map(PinnedInput::ref).toList();
        TraceFolder trace = TraceFolder.create(properties.traceRoot(), runId, clock);
        Path workDir = null;
        try {
            workDir = createWorkDir(runId);
            trace.event("run.started", Map.of("run_id", runId, "worker_id", properties.workerId(),
                    "inputs", inputs.size()));
            PreparedRun prepared;
            TraceManifest manifest;
            try {
                ExecutionRequest parsed = ExecutionRequest.of(runId, inputs, workDir, verified);
                Executor executor = registry.select(parsed.issue().value());
                RunPolicy.Outcome admitted = policy.apply(parsed, executor.name(), requestedBy);
                trace.event("policy.checked", Map.of("decision", admitted.decision(),
                        "refusal", String.valueOf(admitted.refusal())));
                ExecutionRequest request = admitted.request();
                if (request == null) {
                    prepared = refused(runId, startedAt, pinned, FailureCategory.POLICY, admitted.refusal() + " ("
                            + admitted.decision() + ")", trace, workDir);
                } else {
                    prepared = new PreparedRun(runId, startedAt, pinned, request, null, executor, trace, workDir,
                            traces.currentTraceId(), traces.current());
                    trace.writeContext(request.pinnedContent());
                    trace.event("inputs.verified", Map.of("count", pinned.size(), "executor", executor.name()));
                }
                manifest = manifest(prepared, "running", null, null, List.of(), null);
            } catch (InvalidPinnedInputException e) {
                prepared = refused(runId, startedAt, pinned, e.category(), e.getMessage(), trace, workDir);
                manifest = manifest(prepared, "running", null, null, List.of(), null);
            } catch (RuntimeException e) {
                if (causedByIo(e)) {
                    throw e;
                }
                log.error("Run {}: its inputs could not be prepared", runId, e);
                String reason = "The work order's inputs could not be prepared (" + e + "); they are refused,"
                        + " since the same content fails the same way on every attempt";
                prepared = refused(runId, startedAt, pinned, FailureCategory.POLICY, reason, trace, workDir);
                manifest = manifest(prepared, "running", null, null, List.of(), null);
            }
            trace.writeManifest(manifest);
            return prepared;
        } catch (RuntimeException e) {
            // Nothing will run with them: a retry makes its own, under a new run id.
            FileTrees.delete(trace.path());
            if (workDir != null) {
                FileTrees.delete(workDir);
            }
            throw e;
        }
    }

    private PreparedRun refused(String runId, Instant startedAt, List<Ref> pinned, FailureCategory category,
            String reason, TraceFolder trace, Path workDir) {
        log.warn("Run {} refused its inputs: {}", runId, reason);
        trace.writeContext(Map.of("run_id", runId, "pinned", pinned));
        trace.event("inputs.refused", Map.of("reason", reason));
        trace.log("# inputs refused: " + reason);
        return new PreparedRun(runId, startedAt, pinned, null, reason, new Refused(category, reason), trace,
                workDir, traces.currentTraceId(), traces.current());
    }

    /** Whether {@code failure} is, or is caused by, an I/O failure: local trouble, not the work order's. */
    public static boolean causedByIo(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException || t instanceof UncheckedIOException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Executes a prepared run and uploads its outputs and trace bundle.
     *
     * @throws dev.cwom.worker.blobs.BlobStoreException when an upload fails; {@code BlobStoreUnavailableException}
     *     is transient (leave the work order uncommitted so that it is picked up again)
     */
    public ExecutedRun execute(PreparedRun run) {
        return execute(run, new RunCancellation());
    }

    /**
     * {@link #execute(PreparedRun)}, stopped by {@code cancellation} when the run's Issue is canceled or its attempt
     * withdrawn: the run then ends {@link Status#CANCELED}, without a failure, its summary saying why and when; what
     * the executor left
     * (outputs, trace) is uploaded as for any run.
     */
    public ExecutedRun execute(PreparedRun run, RunCancellation cancellation) {
        // the run's trace goes on on this thread: the uploads (and the calls to our own parts) carry it
        try (TracedWork executing = traces.continueFrom(run.traceContext(), "cwom.worker.execute")) {
            executing.span().tag("cwom.run_id", run.runId());
            return executeInScope(run, cancellation);
        }
    }

    private ExecutedRun executeInScope(PreparedRun run, RunCancellation cancellation) {
        Executor executor = run.executor();
        ExecutionResult result;
        if (!cancellation.enter()) {
            String message = "not started: " + cancellation.reason() + ", before the executor started";
            run.trace().event("run.canceled", Map.of("before", "executor"));
            result = ExecutionResult.refused(FailureCategory.RUNTIME, message, List.of(message));
        } else {
            try {
                ExecutionRequest request = run.request();
                result = request == null || run.refusal() != null
                        ? ExecutionResult.refused(FailureCategory.POLICY, String.valueOf(run.refusal()),
                                List.of(String.valueOf(run.refusal())))
                        : executor.execute(request, run.trace());
            } catch (RuntimeException e) {
                log.error("Executor '{}' failed unexpectedly in run {}", executor.name(), run.runId(), e);
                String message = "Executor '" + executor.name() + "' failed unexpectedly: " + e;
                run.trace().event("executor.crashed", Map.of("error", e.toString()));
                result = ExecutionResult.failure(FailureCategory.UNKNOWN, message, List.of(), List.of(message),
                        new Run.Cost(null, null, null));
            } finally {
                cancellation.leave();
            }
        }
        Instant endedAt = clock.instant();
        String canceled = cancellation.reason();
        Status status = canceled != null ? Status.CANCELED : result.succeeded() ? Status.DONE : Status.FAILED;
        Run.Failure failure = canceled != null ? null : result.failure();
        String summary = result.resultSummary();
        List<String> decisionLog = result.decisionLog();
        if (canceled != null) {
            // what the executor said about stopping (e.g. how many processes were killed) stays in the decision log
            summary = "canceled: " + canceled + "; executor '" + executor.name() + "' was stopped at " + endedAt;
            decisionLog = new ArrayList<>(decisionLog);
            if (result.failure() != null) {
                decisionLog.add(result.failure().message());
            }
            decisionLog.add(summary);
            run.trace().log("# " + summary);
            log.info("Run {} {}", run.runId(), summary);
        }
        run.trace().event("run.finished", Map.of("status", status.value(), "category",
                failure == null ? "" : failure.category().value()));
        // the trace's Artifact id is chosen before the bundle is made, so its manifest can link the trace's lineage
        String traceArtifactId = Ids.newUlid();
        run.trace().writeManifest(manifest(run, status.value(), failure, endedAt, result.outputs(),
                TraceManifest.lineagePath(traceArtifactId)));
        // The outputs were copied into the trace; the working directory (sources, builds) can be large.
        FileTrees.delete(run.workDir());

        TraceBundle bundle = bundler.bundle(run.trace().path(), RunFolders.bundle(properties.traceRoot(), run.runId()));
        // One request for everything the run uploads: its file outputs, then the trace bundle.
        List<BlobStoreClient.BlobFile> files = new ArrayList<>();
        for (ExecutionOutput output : result.outputs()) {
            if (output.uri() == null) {
                files.add(new BlobStoreClient.BlobFile(output.file(), output.mediaType()));
            }
        }
        files.add(new BlobStoreClient.BlobFile(bundle.file(), bundle.mediaType()));
        Iterator<UploadedBlob> uploaded = blobs.uploadAll(files).iterator();
        List<PublishedArtifact> outputs = new ArrayList<>();
        for (ExecutionOutput output : result.outputs()) {
            outputs.add(publish(output, output.uri() == null ? uploaded.next() : null));
        }
        UploadedBlob traceBlob = uploaded.next();
        PublishedArtifact trace = new PublishedArtifact(traceArtifactId, ArtifactType.TRACE,
                "Trace of run " + run.runId(), traceBlob.uri().toString(), traceBlob.digest(), bundle.mediaType(),
                traceBlob.sizeBytes(), bundle.preview());
        log.info("Run {} {} with executor '{}': {} outputs, trace {}", run.runId(), status.value(), executor.name(),
                outputs.size(), traceBlob.digest());
        return new ExecutedRun(run.runId(), executor.name(), executor.mode(), status, failure,
                run.startedAt(), endedAt, summary, decisionLog, result.cost(), outputs, trace);
    }

    private static PublishedArtifact publish(ExecutionOutput output, @Nullable UploadedBlob blob) {
        if (output.uri() != null || blob == null) {
            return new PublishedArtifact(Ids.newUlid(), output.type(), output.title(), String.valueOf(output.uri()),
                    null, output.mediaType(), null, null);
        }
        return new PublishedArtifact(Ids.newUlid(), output.type(), output.title(), blob.uri().toString(),
                blob.digest(), output.mediaType(), blob.sizeBytes(), textPreview(output));
    }

    private TraceManifest manifest(PreparedRun run, String status, Run.@Nullable Failure failure,
            @Nullable Instant endedAt, List<ExecutionOutput> outputs, @Nullable String lineage) {
        ExecutionRequest request = run.request();
        TraceManifest.Subject issue;
        TraceManifest.Subject repo;
        if (request != null) {
            Issue value = request.issue().value();
            issue = new TraceManifest.Subject(request.issue().ref().id(), value.title(), value.type().value());
            repo = new TraceManifest.Subject(request.repo().ref().id(), request.repo().value().slug(), null);
        } else {
            issue = new TraceManifest.Subject(idOf(run, "Issue"), "(inputs refused)", null);
            repo = new TraceManifest.Subject(idOf(run, "Repo"), "(inputs refused)", null);
        }
        Double duration = endedAt == null ? null : Duration.between(run.startedAt(), endedAt).toMillis() / 1000.0;
        List<TraceManifest.Output> listed = outputs.stream().map(o -> new TraceManifest.Output(o.title(),
                o.type().value(), o.mediaType(),
                o.file() == null ? null : run.trace().path().relativize(o.file()).toString(),
                o.uri() == null ? null : o.uri().toString())).toList();
        return new TraceManifest(run.runId(), properties.workerId(), run.traceId(), issue, repo, run.executor().name(), run.pinned(),
                new Run.Telemetry(run.startedAt(), endedAt, duration), status, failure, listed, lineage);
    }

    private static String idOf(PreparedRun run, String kind) {
        return run.pinned().stream().filter(r -> r.kind().equals(kind)).map(Ref::id).findFirst().orElse("unknown");
    }

    private static @Nullable String textPreview(ExecutionOutput output) {
        String mediaType = output.mediaType();
        if (output.file() == null || !(mediaType.startsWith("text/") || mediaType.equals("application/json"))) {
            return null;
        }
        try (InputStream in = Files.newInputStream(output.file())) {
            String head = new String(in.readNBytes(TEXT_PREVIEW_CHARS * 4), StandardCharsets.UTF_8);
            return head.length() <= TEXT_PREVIEW_CHARS ? head : head.substring(0, TEXT_PREVIEW_CHARS) + "...";
        } catch (IOException e) {
            return null;
        }
    }

    private Path createWorkDir(String runId) {
        Path dir = properties.workRoot().resolve(runId);
        try {
            Files.createDirectories(properties.workRoot());
            return Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("Working directory " + dir + " already exists; every run attempt needs"
                    + " a new run id (a new ULID)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create working directory " + dir
                    + "; check that cwom.worker.work-root is writable", e);
        }
    }

    /** Stands in for the executor of a run whose inputs were refused; {@link #execute} never calls one. */
    private record Refused(FailureCategory category, String message) implements Executor {
        @Override
        public String name() {
            return "none";
        }

        @Override
        public ExecutionResult execute(ExecutionRequest request, TraceRecorder trace) {
            return ExecutionResult.refused(category, message, List.of(message));
        }
    }
}
