package dev.cwom.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;
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
     * The README's command in miniature, on the shared stack (broker, PostgreSQL and every service on free ports):
     * the component table, then the demo's issues through Kafka and REST all done and both broken records rejected.
     */
    @Test
    void theDemoPrintsTheStackAndEndsWithEveryValidIssueDoneAndBothBrokenRecordsRejected() {
        LocalStack stack = SharedStack.get();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        boolean passed = new Demo(stack, new PrintStream(buffer, true, StandardCharsets.UTF_8)).run();

        String printed = buffer.toString(StandardCharsets.UTF_8);
        assertThat(passed).as("the demo passed; it printed:%n%s", printed).isTrue();
        assertThat(printed).contains("CWOM local stack is up", "Kafka broker (KRaft)", "schema registry",
                "PostgreSQL (embedded)", "ingest-service", "artifact-service", "worker-service #1", "worker-service #2",
                "WRONG_MAGIC_BYTE", "VALIDATION_FAILED", "Demo passed: 5 valid issues done, 2 broken records rejected",
                stack.serviceUrl("ingest-service") + "/cwom/issues/", stack.serviceUrl("artifact-service") + "/blobs/",
                "web console", stack.consoleUrl());
        assertThat(Pattern.compile("^\\|[^|]+\\|[^|]+\\|\\s*(\\d+)\\s*\\|", Pattern.MULTILINE).matcher(printed)
                .results().map(m -> Long.parseLong(m.group(1))))
                .as("child pids in the component table, all alive").hasSize(6)
                .allMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertThat(printed).as("the agent's report is an artifact of its run")
                .containsPattern("\\| agent via Kafka +\\| \\w+ +\\| http +\\|.*\\| done +\\| .*report");
        assertThat(stack.settings().dataDir().resolve("kafka/data/meta.properties")).exists();
    }

    private LocalStackSettings settings(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "--data-dir=" + dataDir;
        System.arraycopy(args, 0, all, 1, args.length);
        return LocalStackSettings.parse(all, new Properties());
    }
}
