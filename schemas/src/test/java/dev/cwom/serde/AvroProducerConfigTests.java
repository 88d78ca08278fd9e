package dev.cwom.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.events.CloudEventsInterceptor;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class AvroProducerConfigTests {

    @Test
    void eventSettingsGoOverTheBaseWhichKeepsTheRest() {
        Map<String, Object> base = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092",
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://p", ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);

        Map<String, Object> config = AvroProducerConfig.events(base, ByteArraySerializer.class, "/cwom/test");

        assertThat(config).containsOnly(
                Map.entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092"),
                Map.entry(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://p"),
                Map.entry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class),
                Map.entry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, KafkaAvroSerializer.class),
                Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
                Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                Map.entry(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, CloudEventsInterceptor.class.getName()),
                Map.entry(CloudEventsInterceptor.SOURCE_CONFIG, "/cwom/test"));
        assertThat(base).containsEntry(ProducerConfig.ACKS_CONFIG, "1");
    }

    @Test
    void theKeySerializerIsTheCallers() {
        assertThat(AvroProducerConfig.events(Map.of(), StringSerializer.class, "/cwom/test"))
                .containsEntry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class)
                .containsEntry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, KafkaAvroSerializer.class);
    }

    @Test
    void theResultCanTakeAServicesOwnSettings() {
        Map<String, Object> config = AvroProducerConfig.events(Map.of(), StringSerializer.class, "/cwom/test");

        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "cwom-worker-w1");

        assertThat(config).containsEntry(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "cwom-worker-w1");
    }
}
