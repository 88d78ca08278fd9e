package dev.cwom.worker.runs;

import dev.cwom.serde.AvroProducerConfig;
import dev.cwom.serde.AvroSerdeConfig;
import dev.cwom.serde.KafkaAvroDeserializer;
import dev.cwom.worker.WorkerProperties;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Creates the loop's Kafka clients: settings from {@code spring.kafka.*} (bootstrap servers, security,
 * {@code schema.registry.url}), overridden by those that exactly-once pick-up depends on. Work orders are read as
 * bytes and decoded by the loop, so that a record that cannot be decoded is still at hand, whole, to be rejected.
 */
public final class PickupClients {

    /** The default {@code fetch.max.wait.ms} of the work-order consumer, unless {@code spring.kafka.*} sets one. */
    static final int FETCH_MAX_WAIT_MS = 50;

    private final Map<String, Object> consumerConfig;
    private final Map<String, Object> readBackConfig;
    private final Map<String, Object> canceledConfig;
    private final Map<String, Object> producerConfig;
    private final Map<String, Object> deserializerConfig;

    /**
     * @param consumerBase consumer settings, e.g. {@code KafkaProperties.buildConsumerProperties()}
     * @param producerBase producer settings, e.g. {@code KafkaProperties.buildProducerProperties()}
     */
    public PickupClients(Map<String, ?> consumerBase, Map<String, ?> producerBase, WorkerProperties properties) {
        String clientId = "cwom-worker-" + properties.workerId();
        consumerConfig = new HashMap<>(consumerBase);
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, properties.pickup().groupId());
        consumerConfig.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerConfig.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                CooperativeStickyAssignor.class.getName());
        // A new group must start at the oldest work order: skipping to the end would lose work.
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // A partition resumed after its run waits for the fetch already out for the paused ones, which the broker
        // holds up to fetch.max.wait.ms when they have nothing new; Kafka's 500 ms would be a pause after every run.
        consumerConfig.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_MAX_WAIT_MS);

        // The same reader without a group: it only looks at what the group has already handled, commits nothing.
        readBackConfig = new HashMap<>(consumerConfig);
        readBackConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        readBackConfig.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        readBackConfig.remove(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
        readBackConfig.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId + "-read-back");

        // The follower of canceled Issues: also without a group, it reads its topic whole on every start.
        canceledConfig = new HashMap<>(readBackConfig);
        canceledConfig.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId + "-canceled-issues");
        // It never pauses a partition, so nothing waits behind its fetch, and a cancellation ends the broker's wait
        // at once: the work-order consumer's short wait would only make it ask an idle broker 20 times a second (in
        // the whole-stack benchmark its fetches were a quarter of the worker's CPU and most of the broker's).
        if (!consumerBase.containsKey(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG)) {
            canceledConfig.remove(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG);
        }

        producerConfig = AvroProducerConfig.events(producerBase, StringSerializer.class,
                "/cwom/worker/" + properties.workerId());
        producerConfig.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(properties));

        deserializerConfig = new HashMap<>(consumerBase);
        deserializerConfig.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
    }

    /** Settings for a broker and a registry alone, as tests and the benchmark use them. */
    public static PickupClients forBroker(String bootstrapServers, String registryUrl, WorkerProperties properties) {
        Map<String, Object> base = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl);
        return new PickupClients(base, base, properties);
    }

    /** {@code cwom-worker-<worker-id>}: stable per instance, so that a restarted instance fences its predecessor. */
    public static String transactionalId(WorkerProperties properties) {
        return "cwom-worker-" + properties.workerId();
    }

    KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(consumerConfig);
    }

    /** A consumer without a group, for reading back handled work orders ({@link WorkOrderReadBack}). */
    KafkaConsumer<byte[], byte[]> readBackConsumer() {
        return new KafkaConsumer<>(readBackConfig);
    }

    /** A consumer without a group, for following canceled Issues ({@link CanceledIssues}). */
    KafkaConsumer<byte[], byte[]> canceledIssuesConsumer() {
        return new KafkaConsumer<>(canceledConfig);
    }

    KafkaProducer<String, Object> producer() {
        return new KafkaProducer<>(producerConfig);
    }

    /** Decodes work orders (and canceled Issues) into the generated classes. */
    KafkaAvroDeserializer workOrderDeserializer() {
        KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer();
        deserializer.configure(deserializerConfig, false);
        return deserializer;
    }

    /** The consumer's settings, for diagnostics and tests. */
    public Map<String, Object> consumerConfig() {
        return Map.copyOf(consumerConfig);
    }

    /** The settings of the follower of canceled Issues, for tests. */
    Map<String, Object> canceledIssuesConfig() {
        return Map.copyOf(canceledConfig);
    }
}
