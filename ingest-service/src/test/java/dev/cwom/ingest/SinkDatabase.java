package dev.cwom.ingest;

import dev.cwom.service.migration.OwnedMigrations;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The sink's side of a shared test database: artifact-service's own migrations (its db/sink folder, copied onto this
 * module's test classpath by the pom), applied the way artifact-service applies them. Tests then play the sink by
 * writing its tables and sending its notice ({@link #NOTIFY_RUN}).
 */
public final class SinkDatabase {

    /** What the sink sends when it stored a run (parameter: the run id). */
    public static final String NOTIFY_RUN = "SELECT pg_notify('cwom_sink_stored', 'run:' || :id)";

    private SinkDatabase() {
    }

    /** Migrates the sink's tables and views into the database at {@code url}; answers the url. */
    public static String migrate(String url) {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(url, "postgres", "");
        OwnedMigrations.SINK.migrate(OwnedMigrations.SINK.flyway(dataSource));
        return url;
    }
}
