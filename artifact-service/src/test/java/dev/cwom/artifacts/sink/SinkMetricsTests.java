package dev.cwom.artifacts.sink;

import static dev.cwom.artifacts.sink.SinkFixtures.finished;
import static dev.cwom.artifacts.sink.SinkFixtures.heartbeat;
import static dev.cwom.artifacts.sink.SinkFixtures.started;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.artifacts.ArtifactServiceTest;
import dev.cwom.events.RunOutcome;
import dev.cwom.model.Ids;
import dev.cwom.testing.Scrape;
import dev.cwom.testing.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * artifact-service's {@code /actuator/prometheus} after known work: events stored by the sink, blob bytes stored and
 * served; the scrape needs no token and opens no other endpoint; readiness needs the broker, database and registry.
 */
class SinkMetricsTests extends ArtifactServiceTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    HealthEndpointGroups groups;

    @LocalServerPort
    int port;

    SinkFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new SinkFixtures(jdbc);
    }

    @AfterEach
    void close() {
        fixtures.close();
    }

    @Test
    void storedEventsAreCountedWithTheirBatchesAndLag() throws Exception {
        fixtures.awaitSinkCaughtUp(Duration.ofSeconds(60));
        Scrape before = scrape();
        SinkFixtures.Issue issue = fixtures.issue();
        String run = Ids.newUlid();
        Instant t0 = SinkFixtures.now();

        fixtures.send(started(issue, run, t0), heartbeat(issue, run, t0.plusSeconds(1)),
                finished(issue, run, t0, t0.plusSeconds(2), RunOutcome.done, List.of()));
        fixtures.awaitSinkCaughtUp(Duration.ofSeconds(60));

        Scrape after = scrape();
        assertThat(delta(before, after, "cwom_sink_events_stored_total")).isEqualTo(3);
        assertThat(delta(before, after, "cwom_sink_batch_size_sum")).isEqualTo(3);
        assertThat(delta(before, after, "cwom_sink_lag_seconds_count")).isEqualTo(3);
        assertThat(after.has("kafka_consumer_fetch_manager_records_lag_max", Map.of("group", "cwom-artifact-sink")))
                .isTrue();
    }

    @Test
    void blobBytesStoredAndServedAreCounted() throws Exception {
        byte[] body = ("metrics " + Ids.newUlid()).getBytes(StandardCharsets.UTF_8);
        Scrape before = scrape();

        HttpResponse<String> put = send(HttpRequest.newBuilder(uri("/blobs"))
                .header("Authorization", "Bearer " + TestTokens.ALL).header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        String location = put.headers().firstValue("Location").orElseThrow();
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> get = send(HttpRequest.newBuilder(URI.create(location)).header("Authorization",
                    "Bearer " + TestTokens.ALL));
            assertThat(get.statusCode()).isEqualTo(200);
        }

        Scrape after = scrape();
        assertThat(delta(before, after, "cwom_blob_bytes_stored_total", Map.of("outcome", "created")))
                .isEqualTo(body.length);
        assertThat(delta(before, after, "cwom_blob_uploads_total", Map.of("outcome", "created"))).isEqualTo(1);
        assertThat(delta(before, after, "cwom_blob_bytes_served_total")).isEqualTo(2.0 * body.length);
    }

    @Test
    void onlyTheScrapeIsOpenAndReadinessNeedsWhatTheServiceCannotWorkWithout() throws Exception {
        assertThat(send(HttpRequest.newBuilder(uri("/actuator/info"))).statusCode()).isEqualTo(401);
        assertThat(send(HttpRequest.newBuilder(uri("/actuator"))).statusCode()).isEqualTo(401);
        for (String member : new String[] {"db", "kafka", "schemaRegistry"}) {
            assertThat(groups.get("readiness").isMember(member)).as(member).isTrue();
            assertThat(groups.get("liveness").isMember(member)).as(member).isFalse();
        }
    }

    private Scrape scrape() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/actuator/prometheus")));
        assertThat(response.statusCode()).isEqualTo(200);
        return new Scrape(response.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static double delta(Scrape before, Scrape after, String name) {
        return delta(before, after, name, Map.of());
    }

    private static double delta(Scrape before, Scrape after, String name, @Nullable Map<String, String> labels) {
        return after.sum(name, labels == null ? Map.of() : labels) - before.sum(name, labels == null ? Map.of()
                : labels);
    }
}
