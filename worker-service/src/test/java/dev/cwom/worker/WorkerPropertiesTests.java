package dev.cwom.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cwom.model.IssueType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

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

    @Test
    void theHttpExecutorsCapAndRedirectsBindWithTheirUnits() {
        WorkerProperties properties = bind(Map.of(
                "cwom.worker.http.max-answer-size", "64KB",
                "cwom.worker.http.max-redirects", "0"));

        assertThat(properties.http().maxAnswerBytes()).isEqualTo(64 * 1024);
        assertThat(properties.http().maxRedirects()).isZero();
        assertThat(WorkerProperties.defaults().http().maxAnswerBytes()).isEqualTo(1024 * 1024);
    }

    @Test
    void theRemovedAllowedUrlPrefixesStopTheWorkerInsteadOfBeingIgnored() {
        assertThatThrownBy(() -> bind(Map.of("cwom.worker.http.allowed-url-prefixes", "https://agents.internal/")))
                .hasRootCauseMessage("cwom.worker.http.allowed-url-prefixes [https://agents.internal/] is no longer"
                        + " supported (a prefix check let any host through that shares the prefix); list the agents'"
                        + " hosts in cwom.worker.ceiling.hosts and the operator policy's network.hosts instead, and"
                        + " remove allowed-url-prefixes");
    }

    @Test
    void bindsTheDiskSettingsWithTheirDefaultsInOnePlace() {
        WorkerProperties properties = bind(Map.of(
                "cwom.worker.disk.quarantine-max-runs", "3",
                "cwom.worker.disk.min-free", "10GB",
                "cwom.worker.disk.check-interval", "250ms"));

        assertThat(properties.disk().quarantineMaxRuns()).isEqualTo(3);
        assertThat(properties.disk().minFree()).isEqualTo(DataSize.ofGigabytes(10));
        assertThat(properties.disk().checkInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(properties.disk().quarantineMaxSize()).isEqualTo(DataSize.ofGigabytes(1));
        assertThat(properties.disk().minFreePercent()).isEqualTo(5.0);
        assertThat(properties.disk().resumeMargin()).isEqualTo(DataSize.ofMegabytes(512));
        assertThat(bind(Map.of()).disk()).isEqualTo(new DiskSettings(null, null, null, null, null, null));
    }

    @Test
    void refusesAMinFreePercentOfAHundredOrMoreNamingTheSetting() {
        assertThatThrownBy(() -> new DiskSettings(null, null, null, 100.0, null, null))
                .hasMessageContaining("cwom.worker.disk.min-free-percent is 100.0");
    }

    private static WorkerProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("cwom.worker", WorkerProperties.class);
    }
}
