package dev.cwom.worker.executors;

import static dev.cwom.worker.executors.HttpRuns.hosts;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.cwom.model.FailureCategory;
import dev.cwom.worker.WorkerProperties;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * https webhooks: the worker connects to the checked address and still verifies the certificate against the URL's host
 * name (sent as SNI). The agent's certificate names only {@code localhost}.
 */
class HttpExecutorTlsTests {

    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path keys;

    @TempDir
    Path temp;

    private static KeyStore localhost;
    private HttpsServer server;
    private HttpExecutor http;

    @BeforeAll
    static void makeKeys() throws Exception {
        localhost = localhostKeyStore();
    }

    @BeforeEach
    void start() throws Exception {
        KeyStore keys = localhost;
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keyManagers.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        server.createContext("/agent", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"summary\": \"over tls\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keys);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trust.getTrustManagers(), null);
        http = new HttpExecutor(WorkerProperties.defaults().http(), Duration.ofMinutes(1), Clock.systemUTC(),
                clientTls.getSocketFactory());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void anHttpsAgentIsCalledByNameAndItsCertificateChecked() throws IOException {
        ExecutionResult result = run("https://localhost:" + server.getAddress().getPort() + "/agent", "localhost");

        assertThat(result.succeeded()).as(String.valueOf(result.failure())).isTrue();
        assertThat(result.resultSummary()).isEqualTo("over tls");
    }

    @Test
    void aCertificateThatDoesNotNameTheHostFailsTheRun() throws IOException {
        ExecutionResult result = run("https://127.0.0.1:" + server.getAddress().getPort() + "/agent", "127.0.0.1");

        assertThat(result.failure().category()).isEqualTo(FailureCategory.DEPENDENCY);
        assertThat(result.failure().message()).contains("Agent webhook https://127.0.0.1:")
                .contains("No subject alternative names matching IP address 127.0.0.1");
    }

    private ExecutionResult run(String url, String allowedHost) throws IOException {
        return new HttpRuns(temp).run(http, new TestWorkOrder().issueMeta("webhook_url", url), hosts(allowedHost));
    }

    /** A self-signed key pair for {@code localhost} only, made with the JDK's keytool. */
    private static KeyStore localhostKeyStore() throws Exception {
        Path file = keys.resolve("agent.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "agent", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return store;
    }
}
