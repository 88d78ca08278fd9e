package dev.cwom.compat;

import java.time.Duration;
import java.util.Map;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The containers of docker-compose.yml's infrastructure, each from the image (and, where it matters, the settings)
 * compose gives it. Each test class declares its own with {@code @Container}, so Testcontainers starts them after
 * its Docker check and stops them with the class.
 */
final class ComposeContainers {

    static final ComposeFile COMPOSE = ComposeFile.read();
    /** The broker's name and port on a test's network, as the schema registry reaches it. */
    private static final String KAFKA_ON_NETWORK = "kafka:19092";
    private static final int REGISTRY_PORT = 8081;

    private ComposeContainers() {
    }

    /**
     * compose's Kafka image (its nodes {@code kafka-1} to {@code kafka-3} share it) as one KRaft node, reachable from
     * the host and as kafka:19092 on {@code network}.
     */
    static KafkaContainer kafka(Network network) {
        return new KafkaContainer(COMPOSE.image("kafka-1")).withNetwork(network).withListener(KAFKA_ON_NETWORK);
    }

    /** compose's {@code schema-registry} (Confluent's) with compose's settings, storing in {@code kafka}. */
    static GenericContainer<?> schemaRegistry(Network network, KafkaContainer kafka) {
        Map<String, String> environment = COMPOSE.environment("schema-registry");
        return new GenericContainer<>(COMPOSE.image("schema-registry"))
                .withNetwork(network)
                .withEnv(environment)
                // compose's broker is kafka:9092; on the test's network it is the broker container's extra listener
                .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://" + KAFKA_ON_NETWORK)
                // compose's cluster has three nodes for its three replicas of _schemas; this test runs one
                .withEnv("SCHEMA_REGISTRY_KAFKASTORE_TOPIC_REPLICATION_FACTOR", "1")
                .withExposedPorts(REGISTRY_PORT)
                .dependsOn(kafka)
                .waitingFor(Wait.forHttp("/subjects").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(2)));
    }

    /** The URL a client on the host puts in {@code schema.registry.url}. */
    static String registryUrl(GenericContainer<?> registry) {
        return "http://" + registry.getHost() + ":" + registry.getMappedPort(REGISTRY_PORT);
    }

    /** compose's {@code postgres} image with compose's database and user (the password is the container's own). */
    static PostgreSQLContainer postgres() {
        Map<String, String> environment = COMPOSE.environment("postgres");
        return new PostgreSQLContainer(COMPOSE.image("postgres"))
                .withDatabaseName(environment.getOrDefault("POSTGRES_DB", "cwom"))
                .withUsername(environment.getOrDefault("POSTGRES_USER", "cwom"));
    }
}
