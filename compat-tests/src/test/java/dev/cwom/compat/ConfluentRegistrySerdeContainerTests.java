package dev.cwom.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.events.IssueSubmitted;
import dev.cwom.json.CwomJson;
import dev.cwom.model.Ids;
import dev.cwom.serde.AvroSerdeConfig;
import dev.cwom.serde.KafkaAvroDeserializer;
import dev.cwom.serde.KafkaAvroSerializer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import tools.jackson.databind.JsonNode;

/**
 * Our serde against the real Confluent Schema Registry and the real Kafka image, as docker-compose.yml runs them
 * (images and the registry's settings read from it): the serializer registers through Confluent's registry, the
 * record round-trips through the broker, and Confluent's registry answers our registry's delete codes. Skipped
 * where no Docker engine is reachable.
 */
@Testcontainers(disabledWithoutDocker = true)
class ConfluentRegistrySerdeContainerTests {

    private static final Network NETWORK = Network.newNetwork();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Container
    static final KafkaContainer KAFKA = ComposeContainers.kafka(NETWORK);

    @Container
    static final GenericContainer<?> REGISTRY = ComposeContainers.schemaRegistry(NETWORK, KAFKA);

    @Test
    void ourSerdeRegistersThroughConfluentsRegistryAndRecordsRoundTrip() throws Exception {
        String topic = "compat-serde-" + Ids.newUlid().toLowerCase();
        IssueSubmitted sent = IssueSubmitted.newBuilder().setEventId(Ids.newUlid())
                .setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS)).setProducer("compat-tests")
                .setIssueJson("{\"title\": \"ünïcödé\"}").build();

        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(producerProps(), new StringSerializer(),
                serializer())) {
            producer.send(new ProducerRecord<>(topic, sent.getEventId(), sent)).get(30, TimeUnit.SECONDS);
        }

        ConsumerRecord<String, byte[]> record = readOne(topic);
        int id = ByteBuffer.wrap(record.value(), 1, 4).getInt();
        JsonNode latest = get("/subjects/" + topic + "-value/versions/latest").json();
        assertThat(latest.get("id").asInt()).isEqualTo(id);
        assertThat(latest.get("schema").asString()).contains("dev.cwom.events", "IssueSubmitted");
        KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer();
        deserializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl(),
                AvroSerdeConfig.SPECIFIC_AVRO_READER, true), false);
        assertThat(deserializer.deserialize(topic, record.value())).isEqualTo(sent);
    }

    @Test
    void confluentsRegistryAnswersTheDeleteCodesOursAnswers() throws Exception {
        String subject = "compat-delete-" + Ids.newUlid().toLowerCase() + "-value";
        String schema = CwomJson.mapper().createObjectNode().put("schema",
                "{\"type\":\"record\",\"name\":\"Probe\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}")
                .toString();
        assertThat(call("POST", "/subjects/" + subject + "/versions", schema).status()).isEqualTo(200);

        assertThat(call("DELETE", "/subjects/" + subject + "?permanent=true", null).errorCode()).isEqualTo(40405);
        assertThat(call("DELETE", "/subjects/" + subject, null).json().toString()).isEqualTo("[1]");
        assertThat(call("DELETE", "/subjects/" + subject, null).errorCode()).isEqualTo(40404);
        assertThat(get("/subjects?deleted=true").json().toString()).contains(subject);
        assertThat(call("DELETE", "/subjects/" + subject + "?permanent=true", null).json().toString())
                .isEqualTo("[1]");
        assertThat(get("/subjects/" + subject + "/versions").errorCode()).isEqualTo(40401);
        assertThat(get("/mode").json().get("mode").asString()).isEqualTo("READWRITE");
    }

    private static KafkaAvroSerializer serializer() {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl()), false);
        return serializer;
    }

    private static String registryUrl() {
        return ComposeContainers.registryUrl(REGISTRY);
    }

    private static Properties producerProps() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBootstrapServers());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        return props;
    }

    private static ConsumerRecord<String, byte[]> readOne(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "compat-" + Ids.newUlid());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    return record;
                }
            }
        }
        throw new AssertionError("No record arrived on " + topic + " within 60 s");
    }

    private record Reply(int status, JsonNode json) {
        int errorCode() {
            return json.path("error_code").asInt();
        }
    }

    private static Reply get(String path) throws Exception {
        return call("GET", path, null);
    }

    private static Reply call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(registryUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), CwomJson.mapper().readTree(response.body()));
    }
}
