package dev.cwom.localstack.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BenchmarkSettingsTests {

    @Test
    void defaultsUseAFolderOfTheirOwnAndMeasureLatencyAtHalfTheMaximumWithAsManyIssues() {
        BenchmarkSettings settings = BenchmarkSettings.parse("--project-root=/srv/cwom", "--issues=500");

        assertThat(settings.dataDir()).isEqualTo(Path.of("/srv/cwom/.local-stack-benchmark"));
        assertThat(settings.issues()).isEqualTo(500);
        assertThat(settings.latencyIssues()).isEqualTo(500);
        assertThat(settings.latencyFraction()).isEqualTo(0.5);
        assertThat(settings.pollInterval()).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void theStackItStartsIsInItsFolderOnPortsOtherThanTheDemos() {
        var stack = StackBenchmark.stackSettings(BenchmarkSettings.parse("--project-root=/srv/cwom"));

        assertThat(stack.dataDir()).isEqualTo(Path.of("/srv/cwom/.local-stack-benchmark"));
        assertThat(stack.kafkaPort()).isNotEqualTo(9092);
        assertThat(stack.workerPorts()).hasSize(2).doesNotContain(8082, 8084);
    }

    @Test
    void theServicesRunWithC2AndWithoutRecordingsUnlessAsked() {
        var plain = StackBenchmark.stackSettings(BenchmarkSettings.parse("--project-root=/srv/cwom"));
        var asked = StackBenchmark.stackSettings(BenchmarkSettings.parse("--project-root=/srv/cwom", "--jfr=true",
                "--service-jvm-options=-XX:TieredStopAtLevel=1"));

        assertThat(plain.serviceJvmOptions()).isEmpty();
        assertThat(plain.flightRecordingOptions("ingest-service")).isEmpty();
        assertThat(asked.serviceJvmOptions()).containsExactly("-XX:TieredStopAtLevel=1");
        assertThat(asked.flightRecordingOptions("ingest-service")).singleElement().asString()
                .startsWith("-XX:StartFlightRecording=")
                .endsWith("filename=/srv/cwom/.local-stack-benchmark/jfr/ingest-service.jfr");
    }

    @Test
    void badValuesAreRefusedNamingTheFlag() {
        assertThatThrownBy(() -> BenchmarkSettings.parse("--issues=0")).hasMessageContaining("--issues");
        assertThatThrownBy(() -> BenchmarkSettings.parse("--latency-fraction=1.5"))
                .hasMessageContaining("--latency-fraction");
        assertThatThrownBy(() -> BenchmarkSettings.parse("--isues=5")).hasMessageContaining("--warmup-issues");
    }

    @Test
    void completionsAskLessOftenWhileManyIssuesArePending() {
        Duration interval = Duration.ofMillis(50);

        assertThat(Completions.pause(interval, 10)).isEqualTo(interval);
        assertThat(Completions.pause(interval, 1_000)).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void tablesAreAlignedWithNumbersOnTheRight() {
        String table = new TextTable("process", " CPU ms").row("ingest-service", "3.50").row("broker", "12.25")
                .render();

        assertThat(table.lines()).containsExactly(
                "| process        | CPU ms |",
                "| -------------- | -----: |",
                "| ingest-service |   3.50 |",
                "| broker         |  12.25 |");
    }
}
