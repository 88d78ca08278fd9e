package dev.cwom.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.model.IssueType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class WorkerPropertiesTests {

    @Test
    void anUnconfiguredWorkerGetsTheDocumentedDefaults() {
        WorkerProperties properties = bind(Map.of());

        assertThat(properties.traceRoot()).isEqualTo(Path.of("data/traces").toAbsolutePath());
        assertThat(properties.workRoot()).isAbsolute().isEqualTo(Path.of("data/work").toAbsolutePath());
        assertThat(properties.shell().isolation()).isEqualTo(WorkerProperties.Isolation.SANDBOX);
        assertThat(properties.shell().maxLogBytes()).isEqualTo(10L * 1024 * 1024);
        assertThat(properties.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(properties.executors().byType()).containsEntry(IssueType.RESEARCH, "noop")
                .containsEntry(IssueType.FEATURE, "shell");
        assertThat(properties.shell().blockedTools()).containsExactly("sudo", "su", "doas");
        assertThat(properties.blobs().maxAttempts()).isEqualTo(5);
        assertThat(properties.workerId()).isNotBlank();
        assertThat(properties).isEqualTo(WorkerProperties.defaults());
    }

    @Test
    void bindsTypedValuesAndMergesTheExecutorMappingOverTheDefaults() {
        WorkerProperties properties = bind(Map.of(
                "cwom.worker.executors.by-type.research", "shell",
                "cwom.worker.shell.default-allowed-tools", "make,git",
                "cwom.worker.shell.isolation", "none",
                "cwom.worker.work-root", "runs/../work",
                "cwom.worker.blobs.url", "http://127.0.0.1:9999",
                "cwom.worker.executors.default-time-budget", "90s"));

        assertThat(properties.executors().byType()).containsEntry(IssueType.RESEARCH, "shell")
                .containsEntry(IssueType.DOC, "noop");
        assertThat(properties.executors().defaultTimeBudget()).isEqualTo(Duration.ofSeconds(90));
        assertThat(properties.shell().defaultAllowedTools()).containsExactly("make", "git");
        assertThat(properties.shell().isolation()).isEqualTo(WorkerProperties.Isolation.NONE);
        assertThat(properties.workRoot()).as("relative roots are made absolute and normalized")
                .isEqualTo(Path.of("work").toAbsolutePath());
        assertThat(properties.blobs().url()).hasPort(9999);
    }

    private static WorkerProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("cwom.worker", WorkerProperties.class);
    }
}
