package dev.cwom.worker.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.auth.Scopes;
import dev.cwom.testing.TestInfrastructure;
import dev.cwom.testing.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The worker's probes while its disk is full: readiness OUT_OF_SERVICE with details, liveness UP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// Its own free-space bean: closed after the class, so that it is not one more context alive when the JVM exits.
@DirtiesContext
class WorkerReadinessTests {

    @TempDir
    static Path data;

    @LocalServerPort
    int port;

    @Autowired
    FakeFreeSpace space;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.kafka(registry);
        TestTokens.register(registry);
        registry.add("spring.kafka.properties.schema.registry.url", () -> "mock://worker-readiness");
        registry.add("cwom.worker.pickup.enabled", () -> "false");
        registry.add("cwom.worker.trace-root", () -> data.resolve("traces").toString());
        registry.add("cwom.worker.work-root", () -> data.resolve("work").toString());
        registry.add("cwom.worker.disk.min-free", () -> "2GB");
        registry.add("cwom.worker.disk.min-free-percent", () -> "0");
        registry.add("cwom.worker.disk.check-interval", () -> "0s");
    }

    @TestConfiguration
    static class FullDisk {

        @Bean
        @Primary
        FakeFreeSpace fakeFreeSpace() {
            return new FakeFreeSpace();
        }
    }

    @AfterEach
    void free() {
        space.free();
    }

    @Test
    void readinessIsOutOfServiceWithTheRootsWhileTheDiskIsFullAndLivenessStaysUp() throws Exception {
        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);

        space.fill();

        HttpResponse<String> anonymous = get("/actuator/health/readiness");
        assertThat(anonymous.statusCode()).isEqualTo(503);
        assertThat(anonymous.body()).contains("\"status\":\"OUT_OF_SERVICE\"").doesNotContain(data.toString());
        HttpResponse<String> readiness = get("/actuator/health/readiness", TestTokens.withScope(Scopes.READ));
        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(readiness.body()).contains("\"status\":\"OUT_OF_SERVICE\"").contains("\"freeSpace\"")
                .contains("\"free_bytes\":1048576").contains("\"threshold_bytes\":2147483648")
                .contains(data.resolve("traces").toString()).contains(data.resolve("work").toString());
        HttpResponse<String> liveness = get("/actuator/health/liveness");
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(liveness.body()).contains("\"status\":\"UP\"");

        space.free();
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/actuator/health/readiness").statusCode() == 200);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
