package dev.cwom.ingest.runstatus;

import dev.cwom.events.RunEvent;
import dev.cwom.ingest.intake.IntakeRejection;
import dev.cwom.serde.AvroSerdeConfig;
import dev.cwom.serde.KafkaAvroDeserializer;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.jspecify.annotations.Nullable;

/**
 * Our Avro deserializer (generated classes) keeping the raw bytes next to the {@link RunEvent}; meant to sit under
 * spring-kafka's {@code ErrorHandlingDeserializer}, which hands undecodable records to the error handler.
 */
public final class RunEventDeserializer implements Deserializer<ReceivedRunEvent> {

    private final KafkaAvroDeserializer avro = new KafkaAvroDeserializer();

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Map<String, Object> specific = new HashMap<>(configs);
        specific.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        avro.configure(specific, isKey);
    }

    @Override
    public @Nullable ReceivedRunEvent deserialize(String topic, byte @Nullable [] data) {
        return deserialize(topic, null, data);
    }

    @Override
    public @Nullable ReceivedRunEvent deserialize(String topic, @Nullable Headers headers, byte @Nullable [] data) {
        if (data == null) {
            return null;
        }
        Object value = headers == null ? avro.deserialize(topic, data) : avro.deserialize(topic, headers, data);
        if (!(value instanceof RunEvent event)) {
            throw new IntakeRejection("SCHEMA_MISMATCH", "The record is a "
                    + (value == null ? "null" : value.getClass().getSimpleName()) + ", not a RunEvent; publish"
                    + " RunEvent envelopes (subject " + topic + "-value) to " + topic, Map.of());
        }
        return new ReceivedRunEvent(event, data);
    }

    @Override
    public void close() {
        avro.close();
    }
}
