package dev.cwom.ingest.intake;

import dev.cwom.events.IssueSubmitted;
import dev.cwom.events.Topics;
import dev.cwom.ingest.KafkaTopicReader;
import dev.cwom.model.Ids;
import dev.cwom.serde.AvroSerdeConfig;
import dev.cwom.serde.KafkaAvroSerializer;
import dev.cwom.testing.SharedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;

/** A producer of raw submission records (good, bad and broken) for the intake tests. */
final class Submissions implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaAvroSerializer avro = new KafkaAvroSerializer();

    Submissions() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producer = new KafkaProducer<>(config);
        avro.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, KafkaTopicReader.REGISTRY), false);
    }

    static IssueSubmitted.Builder event() {
        return IssueSubmitted.newBuilder().setEventId(Ids.newUlid()).setOccurredAt(Instant.now())
                .setProducer("intake-tests");
    }

    static String issueJson(@Nullable String id, String repoId, String status) {
        return """
                {%s"repo": {"kind": "Repo", "id": "%s"}, "title": "Fix the login", "type": "bug", "status": "%s"}"""
                .formatted(id == null ? "" : "\"id\": \"" + id + "\", ", repoId, status);
    }

    byte[] encode(Object event) {
        return avro.serialize(Topics.ISSUES_SUBMITTED, event);
    }

    void send(String key, IssueSubmitted event) {
        sendRaw(key, encode(event));
    }

    /** Sends with a W3C {@code traceparent} header, as a traced producer would. */
    void send(String key, IssueSubmitted event, String traceparent) {
        send(key, encode(event), Map.of("traceparent", traceparent));
    }

    void sendRaw(String key, byte @Nullable [] value) {
        send(key, value, Map.of());
    }

    private void send(String key, byte @Nullable [] value, Map<String, String> headers) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(Topics.ISSUES_SUBMITTED,
                key.getBytes(StandardCharsets.UTF_8), value);
        record.headers().add(new RecordHeader("test-key", key.getBytes(StandardCharsets.UTF_8)));
        headers.forEach((name, v) -> record.headers().add(name, v.getBytes(StandardCharsets.UTF_8)));
        try {
            producer.send(record).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not send the test record " + key, e);
        }
    }

    void sendAll(String key, List<IssueSubmitted> events) {
        events.forEach(e -> send(key, e));
    }

    @Override
    public void close() {
        producer.close();
        avro.close();
    }
}
