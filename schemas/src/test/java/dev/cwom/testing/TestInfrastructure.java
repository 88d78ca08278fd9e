package dev.cwom.testing;

import org.springframework.test.context.DynamicPropertyRegistry;

/** Points a Spring test context at the shared broker and a fresh database on the shared PostgreSQL. */
public final class TestInfrastructure {

    private TestInfrastructure() {
    }

    /** Kafka only (the worker has no database). */
    public static void kafka(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", SharedKafka::bootstrapServers);
    }

    /**
     * Kafka plus a new database of its own, named after the test; answers its JDBC URL. The service under test
     * migrates its own tables into it at start; a test that also needs the other owner's tables migrates them first,
     * as a shared database gets them when the other service starts.
     */
    public static String kafkaAndDatabase(DynamicPropertyRegistry registry, String databasePrefix) {
        kafka(registry);
        String url = SharedPostgres.newDatabase(databasePrefix);
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
        return url;
    }
}
