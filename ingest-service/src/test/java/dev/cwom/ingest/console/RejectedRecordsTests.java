package dev.cwom.ingest.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.events.Topics;
import dev.cwom.ingest.Http;
import dev.cwom.model.Ids;
import dev.cwom.testing.SharedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /cwom/intake/rejections}: records the real intake refused, read back from its rejected topic with their
 * reason codes, a bounded page at a time.
 */
class RejectedRecordsTests extends ConsoleApiTest {

    @Test
    void showsWhatTheIntakeRejectedWithItsReasonCode() throws Exception {
        String key = "console-" + Ids.newUlid();
        send(key, "{\"title\": \"JSON where Avro belongs\"}");

        JsonNode found = awaitRejection(key);

        assertThat(found.path("reason_code").asString()).isEqualTo("WRONG_MAGIC_BYTE");
        assertThat(found.path("source_topic").asString()).isEqualTo(Topics.ISSUES_SUBMITTED);
        assertThat(found.path("value_preview").asString()).isEqualTo("{\"title\": \"JSON where Avro belongs\"}");
        assertThat(found.path("message").asString()).isNotBlank();
        assertThat(found.path("id").asString()).matches("[0-9A-Z]{26}");
    }

    @Test
    void pagesFollowTheTopicOrderWithoutRepeats() throws Exception {
        String prefix = "console-pages-" + Ids.newUlid();
        send(prefix + "-a", "not avro");
        send(prefix + "-b", "not avro either");
        awaitRejection(prefix + "-a");
        awaitRejection(prefix + "-b");

        // at least these two exist: the first page of one has a next link, and it leads past that one
        JsonNode first = http.get("/cwom/intake/rejections?limit=1").json();
        assertThat(first.path("items").size()).isEqualTo(1);
        String next = first.path("next").asString(null);
        assertThat(next).as("a next link while more exist").isNotNull().contains("limit=1").contains("cursor=");
        JsonNode second = http.get(next).json();
        assertThat(second.path("items").size()).isEqualTo(1);
        List<String> positions = new ArrayList<>(List.of(first.path("items").get(0).path("position").asString(),
                second.path("items").get(0).path("position").asString()));
        assertThat(next).endsWith("cursor=" + positions.get(0) + "&limit=1");
        assertThat(positions).doesNotHaveDuplicates();
        assertThat(positions).isSortedAccordingTo((a, b) -> {
            String[] x = a.split("-");
            String[] y = b.split("-");
            int partitions = Integer.compare(Integer.parseInt(x[0]), Integer.parseInt(y[0]));
            return partitions != 0 ? partitions : Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
        });
    }

    @Test
    void aBadCursorOrLimitIsA400NamingIt() {
        JsonNode cursor = problem(http.get("/cwom/intake/rejections?cursor=../../etc"), 400, "VALIDATION_FAILED");
        assertThat(cursor.toString()).contains("query.cursor");
        JsonNode limit = problem(http.get("/cwom/intake/rejections?limit=5000"), 400, "VALIDATION_FAILED");
        assertThat(limit.toString()).contains("query.limit");
    }

    /** Follows every page until the rejection of {@code key} shows up (the intake rejects within seconds). */
    private JsonNode awaitRejection(String key) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            String path = "/cwom/intake/rejections?limit=1000";
            while (path != null) {
                Http.Response response = http.get(path);
                assertThat(response.status()).as(response.toString()).isEqualTo(200);
                for (JsonNode item : response.json().path("items")) {
                    if (key.equals(item.path("key").asString(null))) {
                        return item;
                    }
                }
                path = response.json().path("next").asString(null);
            }
            Thread.sleep(500);
        }
        throw new AssertionError("No rejection of " + key + " within 60 s");
    }

    private static void send(String key, String value) throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(Topics.ISSUES_SUBMITTED, key.getBytes(StandardCharsets.UTF_8),
                    value.getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
        }
    }
}
