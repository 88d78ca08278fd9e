package dev.cwom.service.health;

import dev.cwom.serde.AvroSerdeConfig;
import java.time.Duration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;

/**
 * The health indicators every service shares: {@code kafka} and {@code schemaRegistry}. Each service's readiness
 * group includes them (with {@code db} where it has a database, and the worker's {@code freeSpace}); liveness
 * includes none, as an unreachable broker is no reason to restart an instance.
 */
@AutoConfiguration(afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnBean(KafkaProperties.class)
public class CwomHealthAutoConfiguration {

    /** Short: a probe must answer well within Kubernetes' default one-second-per-try budget times its retries. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Bean
    KafkaBrokerHealth kafkaHealthIndicator(KafkaProperties kafka) {
        return new KafkaBrokerHealth(kafka.buildAdminProperties(), TIMEOUT);
    }

    @Bean
    @ConditionalOnProperty("spring.kafka.properties." + AvroSerdeConfig.SCHEMA_REGISTRY_URL)
    SchemaRegistryHealth schemaRegistryHealthIndicator(KafkaProperties kafka) {
        return new SchemaRegistryHealth(kafka.getProperties().get(AvroSerdeConfig.SCHEMA_REGISTRY_URL), TIMEOUT);
    }
}
