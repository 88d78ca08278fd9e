package dev.cwom.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cwom.testing.Scrape;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
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
    void theDemoPrintsTheStackAndEndsWithEveryValidIssueDoneAndBothBrokenRecordsRejected() throws Exception {
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
        assertThat(printed).as("each service's metrics URL in the table").contains(
                stack.serviceUrl("ingest-service") + "/actuator/prometheus",
                stack.serviceUrl("artifact-service") + "/actuator/prometheus",
                stack.serviceUrl("worker-service #1") + "/actuator/prometheus");

        // After the demo's work (and one refused REST submission), every metric the dashboard queries is scraped.
        try (StackClient client = StackClient.of(stack)) {
            assertThat(client.call("POST", "/cwom/issues", "{\"title\": \"no repo\"}", stack.credentials().submit())
                    .statusCode()).isEqualTo(400);
        }
        Set<String> scraped = new TreeSet<>();
        for (ServiceProcess service : stack.services()) {
            HttpResponse<String> scrape = get(service.baseUrl() + "/actuator/prometheus");
            assertThat(scrape.statusCode()).as(service.name()).isEqualTo(200);
            scraped.addAll(new Scrape(scrape.body()).names());
        }
        Set<String> queried = DashboardQueries.metricNames(DashboardQueries.dashboard());
        assertThat(queried).as("metrics the dashboard queries").contains("cwom_submissions_total",
                "kafka_consumer_fetch_manager_records_lag", "cwom_run_duration_seconds_bucket");
        assertThat(scraped).as("what the services expose").containsAll(queried);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private LocalStackSettings settings(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "--data-dir=" + dataDir;
        System.arraycopy(args, 0, all, 1, args.length);
        return LocalStackSettings.parse(all, new Properties());
    }
}
