package dev.cwom.ingest;

import dev.cwom.serde.AvroSerdeConfig;
import dev.cwom.serde.AvroSerdeException;
import dev.cwom.serde.KafkaAvroDeserializer;
import dev.cwom.testing.SharedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;

/**
 * Reads a whole topic from the beginning (no consumer group) and decodes values with our Avro deserializer against
 * the tests' mock registry (keeping the raw bytes of values it cannot decode), collecting what it has seen so that
 * waits can look for records by key.
 */
public final class KafkaTopicReader implements AutoCloseable {

    /** The mock registry every ingest test context uses. */
    public static final String REGISTRY = "mock://ingest";

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaAvroDeserializer values = new KafkaAvroDeserializer();
    private final String topic;
    private final List<ConsumerRecord<byte[], Object>> seen = new ArrayList<>();

    public KafkaTopicReader(String topic) {
        this.topic = topic;
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(config);
        values.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, REGISTRY,
                AvroSerdeConfig.SPECIFIC_AVRO_READER, true), false);
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> !consumer.partitionsFor(topic).isEmpty());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Every record read so far whose key is {@code key}, after one more poll. */
    public List<ConsumerRecord<byte[], Object>> withKey(String key) {
        return matching(r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(key));
    }

    /** Every record read so far that matches, after one more poll. */
    public synchronized List<ConsumerRecord<byte[], Object>> matching(Predicate<ConsumerRecord<byte[], Object>> test) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            Object value = r.value() == null ? null : decoded(r);
            seen.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(), r.timestampType(),
                    r.serializedKeySize(), r.serializedValueSize(), r.key(), value, r.headers(), r.leaderEpoch()));
        }
        return seen.stream().filter(test).toList();
    }

    /** The decoded value, or the raw bytes of a value that is not ours: tests put such records on shared topics. */
    private Object decoded(ConsumerRecord<byte[], byte[]> record) {
        try {
            return values.deserialize(topic, record.headers(), record.value());
        } catch (AvroSerdeException e) {
            return record.value();
        }
    }

    @Override
    public void close() {
        consumer.close();
        values.close();
    }
}
