package dev.cwom.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerTests {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path home;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void keepsRecordsInItsDataFolderAcrossARestart() throws Exception {
        KafkaBroker broker = new KafkaBroker(home, FreePorts.next(), FreePorts.next());
        try (broker) {
            broker.start(START_TIMEOUT);
            assertThat(home.resolve("data/meta.properties")).exists();
            try (KafkaProducer<String, String> producer = producer(broker)) {
                producer.send(new ProducerRecord<>("local-stack-restart", "issue-1", "submitted")).get(30, TimeUnit.SECONDS);
            }
            assertThat(readAll(broker, "first")).containsExactly("issue-1=submitted");

            long firstPid = broker.pid();
            broker.stop(Duration.ofSeconds(30));
            assertThat(broker.isRunning()).isFalse();

            broker.start(START_TIMEOUT);
            assertThat(broker.pid()).isNotEqualTo(firstPid);
            assertThat(readAll(broker, "after-restart")).containsExactly("issue-1=submitted");
        }
        assertThat(broker.isRunning()).isFalse();
        assertThat(home.resolve("broker.log")).content().contains("Kafka Server started");
    }

    @Test
    void reportsTheBrokersOwnLogWhenItCannotStart() {
        // A broker whose controller port equals its client port cannot bind both listeners: the start fails and
        // the message carries the broker's own log lines instead of a bare timeout.
        int port = FreePorts.next();
        try (KafkaBroker broker = new KafkaBroker(home, port, port)) {
            assertThatThrownBy(() -> broker.start(Duration.ofSeconds(60)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("broker.log");
        }
    }

    private static KafkaProducer<String, String> producer(KafkaBroker broker) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    private static List<String> readAll(KafkaBroker broker, String group) {
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("local-stack-restart"));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(record.key() + "=" + record.value());
                }
                return !seen.isEmpty();
            });
        }
        return seen;
    }
}
