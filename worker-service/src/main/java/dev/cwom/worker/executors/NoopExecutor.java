package dev.cwom.worker.executors;

import dev.cwom.json.CwomJson;
import dev.cwom.model.ArtifactType;
import dev.cwom.model.Run;
import dev.cwom.worker.trace.TraceRecorder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Executes nothing: writes one report artifact listing the pinned inputs with their ids, versions and digests.
 * For demos, benchmarks and issue types whose work happens elsewhere (research, doc, chore by default).
 */
public final class NoopExecutor implements Executor {

    public static final String NAME = "noop";
    static final String REPORT_FILE = "pinned-inputs.json";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ExecutionResult execute(ExecutionRequest request, TraceRecorder trace) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("run_id", request.runId());
        report.put("executor", NAME);
        report.put("issue", Map.of("id", request.issue().ref().id(), "title", request.issue().value().title(),
                "type", request.issue().value().type().value()));
        report.put("repo", Map.of("id", request.repo().ref().id(), "slug", request.repo().value().slug()));
        report.put("inputs", request.pinnedRefs());
        Path file = trace.artifactsDir().resolve(REPORT_FILE);
        try {
            Files.writeString(file, CwomJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report)
                    + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the noop report " + file, e);
        }
        int inputs = request.pinnedRefs().size();
        trace.event("noop.report", Map.of("file", REPORT_FILE, "inputs", inputs));
        return ExecutionResult.success(
                List.of(ExecutionOutput.file("Pinned inputs of run " + request.runId(), ArtifactType.REPORT,
                        "application/json", file)),
                "noop: executed nothing; reported " + inputs + " pinned inputs",
                List.of("noop executor: nothing executed by design"),
                new Run.Cost(0.0, null, 0.0));
    }
}
