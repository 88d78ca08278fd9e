package dev.cwom.worker.runs;

import dev.cwom.serde.AvroProducerConfig;
import dev.cwom.serde.AvroSerdeConfig;
import dev.cwom.serde.KafkaAvroDeserializer;
import dev.cwom.service.kafka.KafkaClientMeters;
import dev.cwom.worker.WorkerProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Creates the loop's Kafka clients: settings from {@code spring.kafka.*} (bootstrap servers, security,
 * {@code schema.registry.url}), overridden by those that exactly-once pick-up depends on. Work orders are read as
 * bytes and decoded by the loop, so that a record that cannot be decoded is still at hand, whole, to be rejected.
 * Every client is metered ({@link KafkaClientMeters}) in the registry that the loop's own metrics go to too.
 */
public final class PickupClients {

    /** The default {@code fetch.max.wait.ms} of the work-order consumer, unless {@code spring.kafka.*} sets one. */
    static final int FETCH_MAX_WAIT_MS = 50;

    private final Map<String, Object> consumerConfig;
    private final Map<String, Object> readBackConfig;
    private final Map<String, Object> canceledConfig;
    private final Map<String, Object> shareConfig;
    private final Map<String, Object> adminConfig;
    private final Map<String, Object> producerConfig;
    private final Map<String, Object> deserializerConfig;
    private final MeterRegistry registry;
    private final KafkaClientMeters meters;

    /**
     * @param consumerBase consumer settings, e.g. {@code KafkaProperties.buildConsumerProperties()}
     * @param producerBase producer settings, e.g. {@code KafkaProperties.buildProducerProperties()}
     */
    public PickupClients(Map<String, ?> consumerBase, Map<String, ?> producerBase, WorkerProperties properties,
            MeterRegistry registry) {
        this.registry = registry;
        this.meters = new KafkaClientMeters(registry);
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

        // A share group's member (KIP-932): the consumer group's own settings do not apply to it (the share group's
        // isolation level and start are group configs, ShareGroups); explicit acknowledgement, one work order per
        // poll and no prefetch, so that a consumer that holds a work order acquires no other (docs/worker.md).
        shareConfig = new HashMap<>(consumerConfig);
        List.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, ConsumerConfig.GROUP_PROTOCOL_CONFIG,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG).forEach(shareConfig::remove);
        shareConfig.put(ConsumerConfig.GROUP_ID_CONFIG, properties.pickup().shareGroupId());
        shareConfig.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        shareConfig.put(ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit");
        shareConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);

        adminConfig = new HashMap<>();
        consumerBase.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                adminConfig.put(key, value);
            }
        });
        adminConfig.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId + "-admin");

        producerConfig = AvroProducerConfig.events(producerBase, StringSerializer.class,
                "/cwom/worker/" + properties.workerId());
        producerConfig.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(properties));

        deserializerConfig = new HashMap<>(consumerBase);
        deserializerConfig.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
    }

    /** Settings for a broker and a registry alone, as tests and the benchmark use them; meters kept in memory. */
    public static PickupClients forBroker(String bootstrapServers, String registryUrl, WorkerProperties properties) {
        return forBroker(bootstrapServers, registryUrl, properties, new SimpleMeterRegistry());
    }

    /** Settings for a broker and a registry alone, metered in {@code registry}. */
    public static PickupClients forBroker(String bootstrapServers, String registryUrl, WorkerProperties properties,
            MeterRegistry registry) {
        Map<String, Object> base = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl);
        return new PickupClients(base, base, properties, registry);
    }

    /** Where the clients' meters and the loop's {@link RunMetrics} go. */
    MeterRegistry registry() {
        return registry;
    }

    /** {@code cwom-worker-<worker-id>}: stable per instance, so that a restarted instance fences its predecessor. */
    public static String transactionalId(WorkerProperties properties) {
        return "cwom-worker-" + properties.workerId();
    }

    KafkaConsumer<byte[], byte[]> consumer() {
        return meters.consumer(consumerConfig);
    }

    /** A consumer without a group, for reading back handled work orders ({@link WorkOrderReadBack}). */
    KafkaConsumer<byte[], byte[]> readBackConsumer() {
        return meters.consumer(readBackConfig);
    }

    /** A consumer without a group, for following canceled Issues ({@link CanceledIssues}). */
    KafkaConsumer<byte[], byte[]> canceledIssuesConsumer() {
        return meters.consumer(canceledConfig);
    }

    /** A member of the share group; lane {@code lane} of this worker. */
    KafkaShareConsumer<byte[], byte[]> shareConsumer(int lane) {
        Map<String, Object> config = new HashMap<>(shareConfig);
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, config.get(CommonClientConfigs.CLIENT_ID_CONFIG) + "-" + lane);
        return new KafkaShareConsumer<>(config);
    }

    /** An admin client, for the share group's configs ({@link ShareGroups}). */
    Admin admin() {
        return Admin.create(adminConfig);
    }

    KafkaProducer<String, Object> producer() {
        return meters.producer(producerConfig);
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
