package dev.cwom.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStackTests {

    @TempDir
    Path dataDir;

    @Test
    void aTakenPortIsReportedWithTheFlagThatChangesIt() throws IOException {
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int taken = squatter.getLocalPort();
            LocalStackSettings settings = settings("--ingest-port=" + taken);

            assertThatThrownBy(() -> LocalStack.checkPorts(settings))
                    .isInstanceOf(PortTakenException.class)
                    .hasMessageContaining("Port " + taken + " for ingest-service")
                    .hasMessageContaining("--ingest-port=<port>");
        }
    }

    @Test
    void twoComponentsOnOnePortAreRefusedBeforeAnythingStarts() {
        int port = FreePorts.next();
        LocalStackSettings settings = settings("--artifact-port=" + port, "--worker-ports=" + port + ",8999");

        assertThatThrownBy(() -> LocalStack.checkPorts(settings))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("artifact-service and worker-service #1 were both given port " + port);
    }

    /**
     * The README's command in miniature: the real main, as its own process, brings up broker, PostgreSQL and every
     * service on free ports, prints the demo table, and with --exit-after-demo stops all children and exits 0.
     */
    @Test
    void runsTheWholeStackPrintsTheDemoTableAndExitsCleanly() throws Exception {
        Path output = dataDir.resolve("stack-output.txt");
        List<String> command = List.of(ChildProcess.javaExecutable(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), LocalStack.class.getName(),
                "--data-dir=" + dataDir, "--exit-after-demo", "--startup-timeout=PT240S",
                "--kafka-port=" + FreePorts.next(), "--kafka-controller-port=" + FreePorts.next(),
                "--postgres-port=" + FreePorts.next(), "--registry-port=" + FreePorts.next(),
                "--ingest-port=" + FreePorts.next(),
                "--artifact-port=" + FreePorts.next(),
                "--worker-ports=" + FreePorts.next() + "," + FreePorts.next());
        Process stack = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        try {
            boolean exited = stack.waitFor(300, TimeUnit.SECONDS);
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(exited).as("the stack exits by itself; it printed:%n%s", printed).isTrue();
            assertThat(stack.exitValue()).as(printed).isZero();
            assertThat(printed).contains("CWOM local stack is up", "Kafka broker (KRaft)", "schema registry", "PostgreSQL (embedded)",
                    "ingest-service", "artifact-service", "worker-service #1", "worker-service #2");
            List<Long> childPids = Pattern.compile("^\\|[^|]+\\|[^|]+\\|\\s*(\\d+)\\s*\\|", Pattern.MULTILINE)
                    .matcher(printed).results().map(m -> Long.parseLong(m.group(1))).toList();
            assertThat(childPids).hasSize(6);
            assertThat(childPids).as("children still running after the stack exited")
                    .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            assertThat(dataDir.resolve("kafka/data/meta.properties")).exists();
            assertThat(dataDir.resolve("logs/ingest-service.log")).content().contains("Started IngestApplication");
        } finally {
            stack.destroyForcibly();
        }
    }

    private LocalStackSettings settings(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "--data-dir=" + dataDir;
        System.arraycopy(args, 0, all, 1, args.length);
        return LocalStackSettings.parse(all, new Properties());
    }
}
