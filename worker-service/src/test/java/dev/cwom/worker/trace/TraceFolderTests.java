package dev.cwom.worker.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cwom.json.CwomJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class TraceFolderTests {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path root;

    @Test
    void createsTheLayoutUnderTheRunId() {
        TraceFolder folder = TraceFolder.create(root, "01KRUN", CLOCK);

        assertThat(folder.path()).isEqualTo(root.resolve("01KRUN"));
        assertThat(folder.artifactsDir()).isDirectory();
        assertThat(folder.evidenceDir()).isDirectory();
        assertThat(folder.logFile()).isRegularFile();
        assertThat(folder.path().resolve("events.jsonl")).isRegularFile();
    }

    @Test
    void recordsEachStepAsAJsonLineWithItsTime() throws IOException {
        TraceFolder folder = TraceFolder.create(root, "01KRUN", CLOCK);

        folder.event("command.started", Map.of("index", 1, "tool", "make"));
        folder.event("command.exited", Map.of("index", 1, "exit_code", 0));

        List<String> lines = Files.readAllLines(folder.path().resolve("events.jsonl"));
        assertThat(lines).hasSize(2);
        JsonNode first = CwomJson.mapper().readTree(lines.getFirst());
        assertThat(first.path("at").asString()).isEqualTo("2026-11-25T10:00:00Z");
        assertThat(first.path("step").asString()).isEqualTo("command.started");
        assertThat(first.path("details").path("tool").asString()).isEqualTo("make");
    }

    @Test
    void refusesToReuseAnExistingRunFolder() {
        TraceFolder.create(root, "01KRUN", CLOCK);

        assertThatThrownBy(() -> TraceFolder.create(root, "01KRUN", CLOCK))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already exists").hasMessageContaining("new run id");
    }
}
