package dev.cwom.registry;

import dev.cwom.json.CwomJson;
import dev.cwom.registry.StoreRecord.CompatibilityCleared;
import dev.cwom.registry.StoreRecord.CompatibilitySet;
import dev.cwom.registry.StoreRecord.ModeCleared;
import dev.cwom.registry.StoreRecord.ModeSet;
import dev.cwom.registry.StoreRecord.SchemaRegistered;
import dev.cwom.registry.StoreRecord.SubjectDeleted;
import dev.cwom.registry.StoreRecord.VersionPurged;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Keeps the registry's changes in a compacted one-partition Kafka topic ({@code _schemas} by default) in Confluent
 * Schema Registry's own record format (JSON keys {@code {"keytype":"SCHEMA","subject",...,"version",...}},
 * {@code {"keytype":"CONFIG",...}}, {@code {"keytype":"MODE",...}} and {@code {"keytype":"DELETE_SUBJECT",...}}),
 * so the topic is readable by the same tools. A soft delete rewrites a version with {@code "deleted": true} (or, for
 * a whole subject, writes DELETE_SUBJECT up to its newest version); a permanent delete is a tombstone on the
 * version's key, which compaction eventually removes with the version. Each change is acknowledged by all
 * in-sync replicas before the registry applies it; at start the whole topic is read back. Every wait is bounded by
 * the configured timeout.
 */
public final class KafkaSchemaStore implements SchemaStore {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSchemaStore.class);

    private final String bootstrapServers;
    private final String topic;
    private final Duration timeout;
    private final KafkaProducer<String, String> producer;

    /** Creates the topic if it is missing; {@code timeout} bounds each Kafka operation. */
    public KafkaSchemaStore(String bootstrapServers, String topic, Duration timeout) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.timeout = timeout;
        ensureTopic();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout.toMillis()));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis() / 2));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    @Override
    public List<StoreRecord> readAll() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis() / 2));
        List<StoreRecord> changes = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (consumer.position(partition, timeout) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read " + topic + " up to offset " + end + " within "
                            + timeout + "; is the broker at " + bootstrapServers + " healthy?");
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    StoreRecord change = decode(record.key(), record.value());
                    if (change != null) {
                        changes.add(change);
                    }
                }
            }
            LOG.info("Read {} schema registry changes from {}-0 up to offset {}", changes.size(), topic, end);
        }
        return changes;
    }

    @Override
    public void append(StoreRecord change) {
        ProducerRecord<String, String> record = switch (change) {
            case SchemaRegistered r -> record(schemaKey(r.subject(), r.version()), json().put("subject", r.subject())
                    .put("version", r.version()).put("id", r.id()).put("schema", r.schema())
                    .put("deleted", r.deleted()));
            case SubjectDeleted d -> record(subjectKey("DELETE_SUBJECT", d.subject()),
                    json().put("subject", d.subject()).put("version", d.upToVersion()));
            case VersionPurged p -> record(schemaKey(p.subject(), p.version()), null);
            case CompatibilitySet c -> record(subjectKey("CONFIG", c.subject()), subjectValue(c.subject())
                    .put("compatibilityLevel", c.level().name()));
            case CompatibilityCleared c -> record(subjectKey("CONFIG", c.subject()), null);
            case ModeSet m -> record(subjectKey("MODE", m.subject()), subjectValue(m.subject())
                    .put("mode", m.mode().name()));
            case ModeCleared m -> record(subjectKey("MODE", m.subject()), null);
        };
        try {
            producer.send(record).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while writing to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("Could not write to " + topic + " at " + bootstrapServers + ": " + cause,
                    cause);
        }
    }

    @Override
    public void close() {
        producer.close(timeout);
    }

    private ProducerRecord<String, String> record(ObjectNode key, @Nullable ObjectNode value) {
        return new ProducerRecord<>(topic, 0, key.toString(), value == null ? null : value.toString());
    }

    private static ObjectNode schemaKey(String subject, int version) {
        return json().put("keytype", "SCHEMA").put("subject", subject).put("version", version).put("magic", 1);
    }

    /** A CONFIG, MODE or DELETE_SUBJECT key; a null subject is the global one. */
    private static ObjectNode subjectKey(String keytype, @Nullable String subject) {
        return json().put("keytype", keytype).put("subject", subject).put("magic", 0);
    }

    private static ObjectNode subjectValue(@Nullable String subject) {
        return subject == null ? json() : json().put("subject", subject);
    }

    /**
     * One record of the topic as a change; null for what this registry keeps nothing of (Confluent's NOOP, a
     * tombstone on a DELETE_SUBJECT key). A tombstone (null value) on a version, CONFIG or MODE key removes it.
     */
    static @Nullable StoreRecord decode(@Nullable String keyText, @Nullable String valueText) {
        if (keyText == null) {
            return null;
        }
        JsonNode key = CwomJson.mapper().readTree(keyText);
        String subject = key.path("subject").isString() ? key.path("subject").asString() : null;
        if (valueText == null) {
            return switch (key.path("keytype").asString("")) {
                case "SCHEMA" -> new VersionPurged(key.path("subject").asString(), key.path("version").asInt());
                case "CONFIG" -> subject == null ? null : new CompatibilityCleared(subject);
                case "MODE" -> subject == null ? null : new ModeCleared(subject);
                default -> null;
            };
        }
        JsonNode value = CwomJson.mapper().readTree(valueText);
        return switch (key.path("keytype").asString("")) {
            case "SCHEMA" -> new SchemaRegistered(value.path("subject").asString(), value.path("version").asInt(),
                    value.path("id").asInt(), value.path("schema").asString(), value.path("deleted").asBoolean(false));
            case "DELETE_SUBJECT" -> new SubjectDeleted(value.path("subject").asString(),
                    value.path("version").asInt());
            case "CONFIG" -> new CompatibilitySet(subject,
                    CompatibilityLevel.parse(value.path("compatibilityLevel").asString()));
            case "MODE" -> new ModeSet(subject, mode(value.path("mode").asString()));
            default -> null; // NOOP, CONTEXT, ... as Confluent writes them: nothing this registry keeps
        };
    }

    /** Confluent's READONLY_OVERRIDE (read-only for every client, admins included) is READONLY here. */
    private static RegistryMode mode(String name) {
        return "READONLY_OVERRIDE".equals(name) ? RegistryMode.READONLY : RegistryMode.parse(name);
    }

    private static ObjectNode json() {
        return CwomJson.mapper().createObjectNode();
    }

    private void ensureTopic() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis() / 2))) {
            int brokers = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
            NewTopic newTopic = new NewTopic(topic, 1, (short) Math.min(3, Math.max(1, brokers)))
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            try {
                admin.createTopics(List.of(newTopic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                LOG.info("Created the compacted schema store topic {}", topic);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not create the schema store topic " + topic + " at "
                    + bootstrapServers + " within " + timeout + ": " + e, e);
        }
    }
}
