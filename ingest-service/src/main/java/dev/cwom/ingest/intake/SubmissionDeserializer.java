package dev.cwom.ingest.intake;

import dev.cwom.events.IssueSubmitted;
import dev.cwom.serde.AvroSerdeConfig;
import dev.cwom.serde.KafkaAvroDeserializer;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.jspecify.annotations.Nullable;

/**
 * Our Avro deserializer (generated classes) keeping the raw bytes next to the event. Meant to sit under spring-kafka's
 * {@code ErrorHandlingDeserializer}, which turns its typed failures into a {@code DeserializationException} carrying
 * the bytes, so that a bad record reaches the error handler instead of stopping the consumer.
 */
public final class SubmissionDeserializer implements Deserializer<Submission> {

    private final KafkaAvroDeserializer avro = new KafkaAvroDeserializer();

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Map<String, Object> specific = new HashMap<>(configs);
        specific.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        avro.configure(specific, isKey);
    }

    @Override
    public @Nullable Submission deserialize(String topic, byte @Nullable [] data) {
        return deserialize(topic, null, data);
    }

    @Override
    public @Nullable Submission deserialize(String topic, @Nullable Headers headers, byte @Nullable [] data) {
        if (data == null) {
            return null;
        }
        Object value = headers == null ? avro.deserialize(topic, data) : avro.deserialize(topic, headers, data);
        if (!(value instanceof IssueSubmitted event)) {
            throw new IntakeRejection("SCHEMA_MISMATCH", "The record is a "
                    + (value == null ? "null" : value.getClass().getSimpleName()) + ", not an IssueSubmitted; publish"
                    + " IssueSubmitted events (subject " + topic + "-value) to " + topic, Map.of());
        }
        return new Submission(event, data);
    }

    @Override
    public void close() {
        avro.close();
    }
}
