package dev.cwom.service.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.core.MicrometerProducerListener;

/**
 * The one way the services meter their Kafka clients. Every client is built by hand (Boot's Kafka auto-configuration
 * never sees them), so each factory or client goes through here: Kafka's own metrics (sends, fetches, errors, and
 * the consumer's {@code records-lag} per topic and partition, as {@code kafka_consumer_fetch_manager_records_lag})
 * become Micrometer meters, tagged with the consumer's {@code group} where it has one. The meters go away when the
 * client closes.
 */
public final class KafkaClientMeters {

    /** The tag naming a consumer's group, so that lag can be summed per group. */
    public static final String GROUP_TAG = "group";

    private final MeterRegistry registry;

    public KafkaClientMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Meters every producer the factory creates. */
    public <K, V> DefaultKafkaProducerFactory<K, V> meter(DefaultKafkaProducerFactory<K, V> factory) {
        factory.addListener(new MicrometerProducerListener<>(registry));
        return factory;
    }

    /** Meters every consumer the factory creates, tagged with its group. */
    public <K, V> DefaultKafkaConsumerFactory<K, V> meter(DefaultKafkaConsumerFactory<K, V> factory) {
        factory.addListener(new MicrometerConsumerListener<>(registry,
                groupTags(factory.getConfigurationProperties())));
        return factory;
    }

    /** A consumer built by hand, metered until it is closed. */
    public <K, V> KafkaConsumer<K, V> consumer(Map<String, Object> config) {
        return new MeteredConsumer<>(config, registry, groupTags(config));
    }

    /** A producer built by hand, metered until it is closed. */
    public <K, V> KafkaProducer<K, V> producer(Map<String, Object> config) {
        return new MeteredProducer<>(config, registry);
    }

    private static List<Tag> groupTags(Map<String, Object> config) {
        Object group = config.get(ConsumerConfig.GROUP_ID_CONFIG);
        return group == null ? List.of() : List.of(Tag.of(GROUP_TAG, group.toString()));
    }

    /** Kafka's clients have no close listener: the subclass stops the meters after the client has closed. */
    private static final class MeteredConsumer<K, V> extends KafkaConsumer<K, V> {

        private final KafkaClientMetrics metrics;

        MeteredConsumer(Map<String, Object> config, MeterRegistry registry, List<Tag> tags) {
            super(config);
            metrics = new KafkaClientMetrics(this, tags);
            metrics.bindTo(registry);
        }

        @Override
        public void close() {
            try {
                super.close();
            } finally {
                metrics.close();
            }
        }

        @Override
        public void close(Duration timeout) {
            try {
                super.close(timeout);
            } finally {
                metrics.close();
            }
        }

        @Override
        public void close(CloseOptions options) {
            try {
                super.close(options);
            } finally {
                metrics.close();
            }
        }
    }

    private static final class MeteredProducer<K, V> extends KafkaProducer<K, V> {

        private final KafkaClientMetrics metrics;

        MeteredProducer(Map<String, Object> config, MeterRegistry registry) {
            super(config);
            metrics = new KafkaClientMetrics(this);
            metrics.bindTo(registry);
        }

        @Override
        public void close() {
            try {
                super.close();
            } finally {
                metrics.close();
            }
        }

        @Override
        public void close(Duration timeout) {
            try {
                super.close(timeout);
            } finally {
                metrics.close();
            }
        }
    }
}
