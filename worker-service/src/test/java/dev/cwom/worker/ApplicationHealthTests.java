package dev.cwom.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.testing.TestInfrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApplicationHealthTests {

    @LocalServerPort
    int port;

    @Autowired
    HealthEndpointGroups groups;

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

    @Test
    void prometheusIsScrapedWithoutATokenAndTheRestOfActuatorIsNot() throws Exception {
        HttpResponse<String> scrape = get("/actuator/prometheus");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("application=\"worker-service\"").contains("kafka_consumer_");
        assertThat(get("/actuator/info").statusCode()).isEqualTo(401);
        assertThat(get("/actuator").statusCode()).isEqualTo(401);
    }

    @Test
    void readinessNeedsTheBrokerTheRegistryAndFreeSpaceAndLivenessNone() {
        for (String member : new String[] {"kafka", "schemaRegistry", "freeSpace"}) {
            assertThat(groups.get("readiness").isMember(member)).as(member).isTrue();
            assertThat(groups.get("liveness").isMember(member)).as(member).isFalse();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
