package dev.cwom.worker.executors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.json.CwomJson;
import dev.cwom.model.ArtifactType;
import dev.cwom.worker.trace.TraceFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class NoopExecutorTests {

    @TempDir
    Path temp;

    @Test
    void reportsEveryPinnedInputWithIdVersionAndDigestAndRunsNothing() throws IOException {
        TestWorkOrder order = new TestWorkOrder().minutes(1).commands("touch should-not-exist").allowed("touch");
        ExecutionRequest request = order.request("01KRUNNOOP", temp.resolve("work"));
        TraceFolder trace = TraceFolder.create(temp.resolve("traces"), "01KRUNNOOP", Clock.systemUTC());

        ExecutionResult result = new NoopExecutor().execute(request, trace);

        assertThat(result.succeeded()).isTrue();
        assertThat(result.resultSummary()).contains("reported 5 pinned inputs");
        assertThat(request.workDir().resolve("should-not-exist")).doesNotExist();
        assertThat(result.outputs()).singleElement().satisfies(output -> {
            assertThat(output.type()).isEqualTo(ArtifactType.REPORT);
            assertThat(output.mediaType()).isEqualTo("application/json");
            assertThat(output.file()).isEqualTo(trace.artifactsDir().resolve("pinned-inputs.json"));
        });
        JsonNode report = CwomJson.mapper().readTree(result.outputs().getFirst().file().toFile());
        assertThat(report.path("run_id").asString()).isEqualTo("01KRUNNOOP");
        assertThat(report.path("issue").path("id").asString()).isEqualTo(order.issueId);
        List<PinnedInput> inputs = order.inputs();
        assertThat(report.path("inputs").size()).isEqualTo(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            JsonNode listed = report.path("inputs").get(i);
            assertThat(listed.path("kind").asString()).isEqualTo(inputs.get(i).kind());
            assertThat(listed.path("id").asString()).isEqualTo(inputs.get(i).id());
            assertThat(listed.path("digest").asString()).isEqualTo(inputs.get(i).digest());
        }
        assertThat(report.path("inputs").get(2).path("version").asString()).isEqualTo("1.2");
    }
}
