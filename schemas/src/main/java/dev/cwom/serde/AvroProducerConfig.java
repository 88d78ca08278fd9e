package dev.cwom.serde;

import dev.cwom.events.CloudEventsInterceptor;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The one set of producer settings the services publish CWOM events with: Avro values through
 * {@link KafkaAvroSerializer}, {@code acks=all} and idempotence, so that an event acknowledged once is on every
 * in-sync replica and a retried send is not written twice. Each service layers them over its own client settings
 * (bootstrap servers, security, {@code schema.registry.url}) and adds what only it needs (a client or transactional
 * id). Every record sent carries CloudEvents headers ({@link CloudEventsInterceptor}) naming {@code source}.
 */
public final class AvroProducerConfig {

    private AvroProducerConfig() {
    }

    /**
     * {@code base} with the event settings put over it; {@code base} itself is left as it is.
     *
     * @param base          producer settings, e.g. {@code KafkaProperties.buildProducerProperties()}
     * @param keySerializer the key serializer the events' keys are written with
     * @param source        the events' CloudEvents {@code ce_source}, e.g. {@code /cwom/worker/<worker id>}
     */
    public static Map<String, Object> events(Map<String, ?> base,
            Class<? extends Serializer<?>> keySerializer, String source) {
        Map<String, Object> config = new HashMap<>(base);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, keySerializer);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, KafkaAvroSerializer.class);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, CloudEventsInterceptor.class.getName());
        config.put(CloudEventsInterceptor.SOURCE_CONFIG, source);
        return config;
    }
}
