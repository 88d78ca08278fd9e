package dev.cwom.events;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigException;

/**
 * Puts {@link CloudEventHeaders} on every event record a producer sends, whatever code built the record: configured
 * by {@link dev.cwom.serde.AvroProducerConfig#events}, with the producer's {@code ce_source} under
 * {@link #SOURCE_CONFIG}. It runs before serialization, so it sees the event object itself.
 */
public final class CloudEventsInterceptor implements ProducerInterceptor<Object, Object> {

    /** Producer setting: the {@code ce_source} of what this producer writes, e.g. {@code /cwom/ingest}. */
    public static final String SOURCE_CONFIG = "cwom.cloudevents.source";

    private String source = "";

    @Override
    public void configure(Map<String, ?> configs) {
        Object configured = configs.get(SOURCE_CONFIG);
        if (!(configured instanceof String value) || value.isBlank()) {
            throw new ConfigException(SOURCE_CONFIG, configured, "the producer's CloudEvents source, e.g. /cwom/ingest");
        }
        source = value;
    }

    @Override
    public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
        if (record.value() != null) {
            CloudEventHeaders.write(record.value(), source, record.headers());
        }
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        // nothing to learn from an acknowledgement
    }

    @Override
    public void close() {
        // holds nothing
    }
}
