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

class WorkerPropertiesTests {

    @Test
    void anUnconfiguredWorkerGetsTheDocumentedDefaults() {
        WorkerProperties properties = bind(Map.of());

        assertThat(properties.traceRoot()).isEqualTo(Path.of("data/traces"));
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
                "cwom.worker.shell.network-isolation", "required",
                "cwom.worker.blobs.url", "http://127.0.0.1:9999",
                "cwom.worker.executors.default-time-budget", "90s"));

        assertThat(properties.executors().byType()).containsEntry(IssueType.RESEARCH, "shell")
                .containsEntry(IssueType.DOC, "noop");
        assertThat(properties.executors().defaultTimeBudget()).isEqualTo(Duration.ofSeconds(90));
        assertThat(properties.shell().defaultAllowedTools()).containsExactly("make", "git");
        assertThat(properties.shell().networkIsolation()).isEqualTo(WorkerProperties.NetworkIsolation.REQUIRED);
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

    private static WorkerProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("cwom.worker", WorkerProperties.class);
    }
}
