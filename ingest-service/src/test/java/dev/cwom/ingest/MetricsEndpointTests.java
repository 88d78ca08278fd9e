package dev.cwom.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.events.Topics;
import dev.cwom.testing.Scrape;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;

/**
 * {@code /actuator/prometheus} is open to a scrape without a token and opens nothing else; the outbox gauges, the
 * Kafka clients' meters and the readiness group are there.
 */
class MetricsEndpointTests extends IngestApiTest {

    @Autowired
    HealthEndpointGroups groups;

    @Test
    void prometheusNeedsNoTokenWhileTheRestOfActuatorStillNeedsTheAdmin() {
        Http anonymous = new Http(port, null);

        Http.Response scrape = anonymous.get("/actuator/prometheus");
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.contentType()).startsWith("text/plain");
        for (String path : new String[] {"/actuator", "/actuator/info", "/actuator/metrics", "/actuator/env"}) {
            assertThat(anonymous.get(path).status()).as(path).isEqualTo(401);
        }
        assertThat(http.get("/actuator/info").status()).isEqualTo(200);
    }

    @Test
    void theOutboxGaugesAndTheKafkaClientsMetersAreScraped() {
        createIssue(createRepo(), "ready");

        Scrape scrape = new Scrape(new Http(port, null).get("/actuator/prometheus").body());
        assertThat(scrape.names()).contains("cwom_outbox_backlog", "cwom_outbox_oldest_age_seconds",
                "cwom_outbox_parked", "cwom_outbox_published_total");
        assertThat(scrape.names()).anyMatch(name -> name.startsWith("kafka_producer_"));
        assertThat(scrape.has("cwom_outbox_backlog", Map.of("application", "ingest-service"))).isTrue();
        // The intake's lag per partition, tagged with its group. Kafka makes a partition's meters after its first
        // fetch, and Micrometer looks for new ones once a minute.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).until(() -> new Scrape(
                new Http(port, null).get("/actuator/prometheus").body()).has("kafka_consumer_fetch_manager_records_lag",
                        Map.of("group", "cwom-ingest-intake", "topic", Topics.ISSUES_SUBMITTED)));
    }

    @Test
    void readinessNeedsTheBrokerTheDatabaseAndTheRegistryAndLivenessNone() {
        assertThat(groups.get("readiness").isMember("kafka")).isTrue();
        assertThat(groups.get("readiness").isMember("db")).isTrue();
        assertThat(groups.get("readiness").isMember("schemaRegistry")).isTrue();
        assertThat(groups.get("liveness").isMember("kafka")).isFalse();
        assertThat(groups.get("liveness").isMember("db")).isFalse();

        // the broker, the database and the registry (mock://) of the tests all answer
        Http.Response readiness = new Http(port, null).get("/actuator/health/readiness");
        assertThat(readiness.status()).as(readiness.toString()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"status\":\"UP\"");
    }
}
