package dev.cwom.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command as a user lives it: the real main as its own process, twice on one data folder. The
 * first start ends with --exit-after-demo; the second runs until it is stopped the way Ctrl-C stops it (SIGTERM and
 * SIGINT both run the shutdown hook) and finds what the first one left.
 */
class LocalStackProcessTests {

    private static final Pattern CHILD_PID = Pattern.compile("^\\|[^|]+\\|[^|]+\\|\\s*(\\d+)\\s*\\|", Pattern.MULTILINE);

    @TempDir
    Path dataDir;

    @Test
    void exitsAfterTheDemoWithNoChildLeftAndASecondStartReusesTheDataUntilItIsStopped() throws Exception {
        List<String> flags = List.of("--data-dir=" + dataDir, "--startup-timeout=PT240S",
                "--kafka-port=" + FreePorts.next(), "--kafka-controller-port=" + FreePorts.next(),
                "--postgres-port=" + FreePorts.next(), "--registry-port=" + FreePorts.next(),
                "--ingest-port=" + FreePorts.next(), "--artifact-port=" + FreePorts.next(),
                "--worker-ports=" + FreePorts.next() + "," + FreePorts.next());

        Path firstOutput = dataDir.resolve("first-start.txt");
        Process first = start(flags, "--exit-after-demo", firstOutput);
        try {
            assertThat(first.waitFor(360, TimeUnit.SECONDS)).as("the first start exits by itself; it printed:%n%s",
                    read(firstOutput)).isTrue();
        } finally {
            first.destroyForcibly();
        }
        String firstPrinted = read(firstOutput);
        assertThat(first.exitValue()).as(firstPrinted).isZero();
        assertThat(firstPrinted).contains("empty: a first start", "Demo passed: 5 valid issues done");
        assertNoChildAlive(firstPrinted);
        String clusterId = clusterId();

        Path secondOutput = dataDir.resolve("second-start.txt");
        Process second = start(flags, "--exit-after-demo=false", secondOutput);
        try {
            await("the second start's demo").atMost(Duration.ofSeconds(360)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> read(secondOutput).contains("The stack runs until Ctrl-C") || !second.isAlive());
            String secondPrinted = read(secondOutput);
            assertThat(secondPrinted).as("the second start keeps running after its demo")
                    .contains("Demo passed: 5 valid issues done", "The stack runs until Ctrl-C");
            assertThat(keptRuns(secondPrinted, 5)).as("the second start counts the first start's data: 5 issues "
                    + "with at least one run each (a finish that lost its transaction under load is one more)")
                    .isBetween(5, 10);
            assertThat(second.isAlive()).isTrue();

            second.destroy();
            assertThat(second.waitFor(120, TimeUnit.SECONDS)).as("stopped like Ctrl-C, it exits").isTrue();
            assertNoChildAlive(secondPrinted);
        } finally {
            second.destroyForcibly();
        }
        assertThat(clusterId()).as("the broker kept its cluster (and data) across starts").isEqualTo(clusterId);
    }

    private static Process start(List<String> flags, String exitFlag, Path output) throws IOException {
        // the test classpath carries the schemas test-jar's logback-test.xml; the child logs as the real main does
        List<String> command = new ArrayList<>(List.of(ChildProcess.javaExecutable(), "-Xmx256m",
                "-Dlogback.configurationFile=logback.xml",
                "-cp", System.getProperty("java.class.path"), LocalStack.class.getName()));
        command.addAll(flags);
        command.add(exitFlag);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().remove("CI");
        return builder.start();
    }

    /** The runs that "kept from earlier starts: N issues, M runs" counts, after checking N. */
    private static int keptRuns(String printed, int issues) {
        Matcher kept = Pattern.compile("kept from earlier starts: (\\d+) issues, (\\d+) runs").matcher(printed);
        assertThat(kept.find()).as("the data line of the second start in:%n%s", printed).isTrue();
        assertThat(Integer.parseInt(kept.group(1))).isEqualTo(issues);
        return Integer.parseInt(kept.group(2));
    }

    private static void assertNoChildAlive(String printed) {
        List<Long> childPids = CHILD_PID.matcher(printed).results().map(m -> Long.parseLong(m.group(1))).toList();
        assertThat(childPids).as("broker and service pids in the component table").hasSize(6);
        await("every child stopped").atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(childPids)
                .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
    }

    private String clusterId() throws IOException {
        return Files.readAllLines(dataDir.resolve("kafka/data/meta.properties")).stream()
                .filter(line -> line.startsWith("cluster.id=")).findFirst().orElseThrow();
    }

    private static String read(Path output) throws IOException {
        return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
    }
}
