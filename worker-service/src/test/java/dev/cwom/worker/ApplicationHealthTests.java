package dev.cwom.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.testing.TestInfrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApplicationHealthTests {

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.kafka(registry);
        registry.add("spring.kafka.properties.schema.registry.url", () -> "mock://worker-health");
        // The start-up sweep takes <work-root>/.lock: keep it in target/, not in the module's default data/work.
        registry.add("cwom.worker.work-root", () -> "target/application-health/work");
        registry.add("cwom.worker.trace-root", () -> "target/application-health/traces");
    }

    @Test
    void startsAndReportsHealthUp() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"");
    }
}
