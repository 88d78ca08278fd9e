package dev.cwom.ingest.store;

import dev.cwom.service.migration.OwnedMigrations;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** ingest-service migrates its own tables at start (db/ingest, history flyway_history_ingest). */
@Configuration(proxyBeanMethods = false)
class IngestMigrations {

    @Bean
    FlywayConfigurationCustomizer ingestFlywayConfiguration() {
        return OwnedMigrations.INGEST.customizer();
    }

    @Bean
    FlywayMigrationStrategy ingestFlywayMigration() {
        return OwnedMigrations.INGEST.strategy();
    }
}
