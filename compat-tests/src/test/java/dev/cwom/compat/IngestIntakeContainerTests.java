package dev.cwom.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.events.IssueSubmitted;
import dev.cwom.events.Topics;
import dev.cwom.events.WorkOrder;
import dev.cwom.ingest.IngestApplication;
import dev.cwom.json.CwomJson;
import dev.cwom.model.Ids;
import dev.cwom.serde.AvroSerdeConfig;
import dev.cwom.serde.KafkaAvroDeserializer;
import dev.cwom.serde.KafkaAvroSerializer;
import dev.cwom.service.migration.OwnedMigrations;
import dev.cwom.testing.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
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
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import tools.jackson.databind.JsonNode;

/**
 * ingest-service against compose's infrastructure images: real Kafka, real PostgreSQL (its migrations and the sink's
 * read-contract views applied at start) and Confluent's registry. A submission sent the way producers send it is
 * stored and becomes a work order. Skipped where no Docker engine is reachable.
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(classes = IngestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "cwom.ingest.tasks.allowed-repo-prefixes=acme/")
class IngestIntakeContainerTests {

    private static final Network NETWORK = Network.newNetwork();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Container
    static final KafkaContainer KAFKA = ComposeContainers.kafka(NETWORK);

    @Container
    static final GenericContainer<?> REGISTRY = ComposeContainers.schemaRegistry(NETWORK, KAFKA);

    @Container
    static final PostgreSQLContainer POSTGRES = ComposeContainers.postgres();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        // the sink's tables and views first, as artifact-service makes them in the database compose shares
        OwnedMigrations.SINK.migrate(OwnedMigrations.SINK.flyway(new DriverManagerDataSource(POSTGRES.getJdbcUrl(),
                POSTGRES.getUsername(), POSTGRES.getPassword())));
        registry.add("spring.kafka.bootstrap-servers", KAFKA::getBootstrapServers);
        registry.add("spring.kafka.properties.schema.registry.url", () -> ComposeContainers.registryUrl(REGISTRY));
        registry.add("spring.datasource.url", POSTGRES::getJdbcUrl);
        registry.add("spring.datasource.username", POSTGRES::getUsername);
        registry.add("spring.datasource.password", POSTGRES::getPassword);
        TestTokens.register(registry);
    }

    @Test
    void aSubmissionOnKafkaIsStoredAndBecomesAWorkOrder() throws Exception {
        String issueId = Ids.newUlid();
        String slug = "acme/compat-" + issueId.toLowerCase();
        IssueSubmitted submitted = IssueSubmitted.newBuilder().setEventId(Ids.newUlid()).setOccurredAt(Instant.now())
                .setProducer("compat-tests")
                .setRepoJson("{\"name\": \"Compat\", \"slug\": \"" + slug + "\"}")
                .setIssueJson("""
                        {"id": "%s", "title": "Prove compose's images", "type": "bug", "status": "ready",
                         "meta": {"executor": "noop"}}""".formatted(issueId))
                .build();

        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(producerProps(), new StringSerializer(),
                serializer())) {
            producer.send(new ProducerRecord<>(Topics.ISSUES_SUBMITTED, issueId, submitted))
                    .get(30, TimeUnit.SECONDS);
        }

        WorkOrder order = workOrderFor(issueId);
        assertThat(order.getRepoSlug()).isEqualTo(slug);
        assertThat(order.getExecutor()).isEqualTo("noop");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> issue = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/cwom/issues/" + issueId))
                    .header("Authorization", "Bearer " + TestTokens.ALL).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(issue.statusCode()).as(issue.body()).isEqualTo(200);
            JsonNode detail = CwomJson.mapper().readTree(issue.body());
            assertThat(detail.get("issue").get("title").asString()).isEqualTo("Prove compose's images");
        });
    }

    private static WorkOrder workOrderFor(String issueId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "compat-" + Ids.newUlid());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer();
        deserializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, ComposeContainers.registryUrl(REGISTRY),
                AvroSerdeConfig.SPECIFIC_AVRO_READER, true), false);
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                deserializer)) {
            consumer.subscribe(List.of(Topics.ISSUES_READY));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(500))) {
                    if (issueId.equals(record.key()) && record.value() instanceof WorkOrder order) {
                        return order;
                    }
                }
            }
        }
        throw new AssertionError("No work order for " + issueId + " on " + Topics.ISSUES_READY + " within 90 s");
    }

    private static KafkaAvroSerializer serializer() {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, ComposeContainers.registryUrl(REGISTRY)),
                false);
        return serializer;
    }

    private static Properties producerProps() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBootstrapServers());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        return props;
    }
}
