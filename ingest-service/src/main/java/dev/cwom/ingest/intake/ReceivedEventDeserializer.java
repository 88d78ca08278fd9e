package dev.cwom.ingest.intake;

import dev.cwom.serde.AvroSerdeConfig;
import dev.cwom.serde.KafkaAvroDeserializer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.jspecify.annotations.Nullable;

/**
 * Our Avro deserializer (generated classes) keeping the raw bytes next to the event, for the topics ingest follows.
 * Meant to sit under spring-kafka's {@code ErrorHandlingDeserializer}, which turns its typed failures into a
 * {@code DeserializationException} carrying the bytes, so that a bad record reaches the error handler instead of
 * stopping the consumer. A record of another schema than the topic's event is a {@code SCHEMA_MISMATCH}, refused by
 * its writer schema's name before its payload is decoded.
 *
 * @param <E> the topic's event
 * @param <R> the event as received: the event and its bytes
 */
public abstract class ReceivedEventDeserializer<E, R> implements Deserializer<R> {

    private final KafkaAvroDeserializer avro = new KafkaAvroDeserializer();
    private final Class<E> event;
    private final String publish;
    private final BiFunction<E, byte[], R> received;

    /**
     * @param publish what a producer should publish instead, e.g. "RunEvent envelopes"
     * @param received the event as received from the event and its bytes
     */
    protected ReceivedEventDeserializer(Class<E> event, String publish, BiFunction<E, byte[], R> received) {
        this.event = event;
        this.publish = publish;
        this.received = received;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Map<String, Object> specific = new HashMap<>(configs);
        specific.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        // a record of another schema is refused by name, before its payload is read (UnexpectedRecordException)
        specific.put(KafkaAvroDeserializer.EXPECTED_RECORDS, List.of(event));
        avro.configure(specific, isKey);
    }

    @Override
    public @Nullable R deserialize(String topic, byte @Nullable [] data) {
        return deserialize(topic, null, data);
    }

    @Override
    public @Nullable R deserialize(String topic, @Nullable Headers headers, byte @Nullable [] data) {
        if (data == null) {
            return null;
        }
        Object value = headers == null ? avro.deserialize(topic, data) : avro.deserialize(topic, headers, data);
        if (!event.isInstance(value)) {
            throw new IntakeRejection("SCHEMA_MISMATCH", "The record is a "
                    + (value == null ? "null" : value.getClass().getSimpleName()) + " where " + topic + " carries "
                    + event.getSimpleName() + "; publish " + publish + " (subject " + topic + "-value) to " + topic,
                    Map.of());
        }
        return received.apply(event.cast(value), data);
    }

    @Override
    public void close() {
        avro.close();
    }
}
