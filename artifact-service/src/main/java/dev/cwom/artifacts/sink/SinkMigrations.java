package dev.cwom.artifacts.sink;

import dev.cwom.service.migration.OwnedMigrations;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * artifact-service migrates its own tables and read-contract views at start (db/sink, history flyway_history_sink),
 * before its sink consumes: a missing table is then a deployment error at start, not a failure of each event.
 */
@Configuration(proxyBeanMethods = false)
class SinkMigrations {

    @Bean
    FlywayConfigurationCustomizer sinkFlywayConfiguration() {
        return OwnedMigrations.SINK.customizer();
    }

    @Bean
    FlywayMigrationStrategy sinkFlywayMigration() {
        return OwnedMigrations.SINK.strategy();
    }
}
