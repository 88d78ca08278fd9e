package dev.cwom.worker.executors;

import static dev.cwom.worker.executors.HttpRuns.hosts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.model.FailureCategory;
import dev.cwom.worker.WorkerProperties;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where the http executor may connect: webhook URLs and redirects are untrusted and checked before any connection. */
class HttpExecutorDestinationTests {

    private static final String OK = "{\"summary\": \"done\"}";

    @TempDir
    Path temp;

    private final FakeAgent agent;
    private final HttpExecutor http = new HttpExecutor(WorkerProperties.defaults().http(), Duration.ofMinutes(1),
            Clock.systemUTC());
    private HttpRuns runs;

    HttpExecutorDestinationTests() throws IOException {
        agent = new FakeAgent().answer(200, OK);
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/agent",
            "http://192.168.1.20:8080/agent", "http://[fd00:ec2::254]/latest", "http://[::ffff:172.16.0.9]/x",
            "http://100.100.100.200/meta", "http://0.0.0.0:9/x", "http://224.0.0.1/x"})
    void metadataAndPrivateAddressesAreRefusedBeforeAnyConnection(String url) throws IOException {
        long start = System.nanoTime();

        ExecutionResult result = run(url, hosts("*"));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(result.failure().category()).isEqualTo(FailureCategory.POLICY);
        assertThat(result.failure().message()).contains("calls only when an allowed host names it exactly")
                .contains("not a * glob");
        assertThat(runs.events()).doesNotContain("http.posted");
    }

    @Test
    void loopbackIsRefusedThroughAGlob() throws IOException {
        ExecutionResult result = run(agent.webhook(), hosts("*"));

        assertThat(result.failure().category()).isEqualTo(FailureCategory.POLICY);
        assertThat(result.failure().message()).contains("resolves to 127.0.0.1, a loopback")
                .contains("list '127.0.0.1' itself");
        assertThat(agent.requests()).isZero();
    }

    @Test
    void aNameThatResolvesToLoopbackIsRefusedThroughAGlob() throws IOException {
        ExecutionResult result = run("http://localhost:" + agent.port() + "/agent", hosts("local*"));

        assertThat(result.failure().category()).isEqualTo(FailureCategory.POLICY);
        assertThat(result.failure().message()).contains("Agent webhook host 'localhost' resolves to")
                .contains("loopback");
        assertThat(agent.requests()).isZero();
    }

    @Test
    void loopbackNamedExactlyIsCalled() throws IOException {
        ExecutionResult result = run(agent.webhook(), hosts("agents.example.com", "127.0.0.1"));

        assertThat(result.succeeded()).isTrue();
        assertThat(agent.requests()).isEqualTo(1);
    }

    @Test
    void anIpv6LiteralIsNamedWithBracketsAsAdmissionSeesIt() throws IOException {
        ExecutionResult result = run("http://[fd00::5]:8080/agent", hosts("*"));
        ExecutionResult named = run("http://[::1]:1/agent", hosts("[::1]"));

        assertThat(result.failure().message()).contains("a unique local (fc00::/7) address");
        assertThat(named.failure().category()).as("allowed, then not reachable: nothing listens on port 1")
                .isEqualTo(FailureCategory.DEPENDENCY);
    }

    @Test
    void everySourceMustAllowTheHost() throws IOException {
        AllowedHosts policyAndCeiling = new AllowedHosts(java.util.List.of(hosts("127.0.0.1").sources().getFirst(),
                new AllowedHosts.Source("the worker's ceiling", hosts("*.example.com").sources().getFirst().limits())));

        ExecutionResult result = run(agent.webhook(), policyAndCeiling);

        assertThat(result.failure().category()).isEqualTo(FailureCategory.POLICY);
        assertThat(result.failure().message()).contains("'127.0.0.1' is not among the hosts this run may call")
                .contains("the worker's ceiling [*.example.com]");
        assertThat(agent.requests()).isZero();
    }

    @Test
    void aHostNotInTheAllowedListIsRefusedWithoutLookingItUp() throws IOException {
        ExecutionResult result = run("https://agent.example.invalid/hook?token=s3cret", hosts("127.0.0.1"));

        assertThat(result.failure().category()).isEqualTo(FailureCategory.POLICY);
        assertThat(result.failure().message()).contains("host 'agent.example.invalid' is not among the hosts")
                .contains("the test policy [127.0.0.1]").contains("network.hosts");
        assertThat(result.decisionLog().toString()).doesNotContain("s3cret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "ftp://127.0.0.1/agent", "jar:file:/tmp/a.jar!/x",
            "gopher://127.0.0.1:70/x"})
    void aSchemeOtherThanHttpIsRefused(String url) throws IOException {
        ExecutionResult result = run(url, hosts("*", "127.0.0.1"));

        assertThat(result.failure().category()).isEqualTo(FailureCategory.POLICY);
        assertThat(result.failure().message()).contains("is not an http(s) URL");
        assertThat(runs.events()).doesNotContain("http.posted");
    }

    @Test
    void credentialsInTheUrlAreRefusedAndNotRepeated() throws IOException {
        ExecutionResult result = run("http://bot:hunter2@127.0.0.1:" + agent.port() + "/agent", hosts("127.0.0.1"));

        assertThat(result.failure().category()).isEqualTo(FailureCategory.POLICY);
        assertThat(result.failure().message()).contains("user-info").doesNotContain("hunter2");
        assertThat(agent.requests()).isZero();
    }

    @Test
    void aRedirectToADeniedAddressIsRefused() throws IOException {
        agent.redirect(307, "http://169.254.169.254/latest/meta-data/iam/");

        ExecutionResult result = run(agent.webhook(), hosts("*", "127.0.0.1"));

        assertThat(result.failure().category()).isEqualTo(FailureCategory.POLICY);
        assertThat(result.failure().message())
                .startsWith("The agent's webhook redirected to 'http://169.254.169.254/latest/meta-data/iam/'")
                .contains("a link-local");
        assertThat(agent.requests()).isEqualTo(1);
    }

    @Test
    void aRedirectToAHostNotAllowedIsRefused() throws IOException {
        agent.redirect(302, "https://elsewhere.example/hook");

        ExecutionResult result = run(agent.webhook(), hosts("127.0.0.1"));

        assertThat(result.failure().category()).isEqualTo(FailureCategory.POLICY);
        assertThat(result.failure().message()).contains("host 'elsewhere.example' is not among the hosts");
    }

    @Test
    void aRedirectToAnAllowedHostIsFollowedWithTheWorkOrder() throws IOException {
        try (FakeAgent target = new FakeAgent().answer(200, OK)) {
            agent.redirect(308, target.webhook());

            ExecutionResult result = run(agent.webhook(), hosts("127.0.0.1"));

            assertThat(result.succeeded()).isTrue();
            assertThat(target.received()).isEqualTo(agent.received()).contains("\"run_id\"");
            assertThat(result.decisionLog()).anyMatch(line -> line.startsWith("redirect 308 from " + agent.webhook()));
        }
    }

    @Test
    void aRedirectLoopStopsAtTheLimit() throws IOException {
        agent.redirect(307, agent.webhook());

        ExecutionResult result = run(agent.webhook(), hosts("127.0.0.1"));

        assertThat(result.failure().category()).isEqualTo(FailureCategory.DEPENDENCY);
        assertThat(result.failure().message()).contains("redirected more than cwom.worker.http.max-redirects (3)");
        assertThat(agent.requests()).isEqualTo(4);
    }

    @Test
    void aRunWithoutAllowedHostsCallsNothing() throws IOException {
        ExecutionResult result = run(agent.webhook(), new AllowedHosts(java.util.List.of()));

        assertThat(result.failure().category()).isEqualTo(FailureCategory.POLICY);
        assertThat(result.failure().message()).contains("no allowed hosts were given to this run");
        assertThat(agent.requests()).isZero();
    }

    private ExecutionResult run(String url, AllowedHosts allowed) throws IOException {
        runs = new HttpRuns(temp);
        return runs.run(http, new TestWorkOrder().issueMeta("webhook_url", url), allowed);
    }
}
