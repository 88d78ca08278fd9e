package dev.cwom.service.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;

/**
 * The migrations of one owner of tables: its classpath folder and its own Flyway history table, so that two owners
 * can share one database (the local stack, the tests) or each have one.
 *
 * <p>Sharing needs {@code baselineOnMigrate} at version 0: the owner that starts second finds a schema that is not
 * empty (the other's tables) and no history of its own; Flyway would refuse to migrate it, and a baseline at any
 * version above 0 would skip its first scripts. At 0 it records the baseline and then applies all of them.
 *
 * <p>A database migrated by the single history of earlier releases ({@code flyway_schema_history}, V1 to V12)
 * already has every owner's tables. When it is found and the owner's history is not, the owner's history is
 * baselined at the version of its own scripts that equals what the single history created
 * ({@link #singleHistoryBaselines}), so nothing is created twice and nothing is lost; later scripts then apply.
 *
 * @param owner the service, for messages
 * @param location the classpath folder of its scripts
 * @param historyTable its Flyway history table
 * @param singleHistoryBaselines per version of the single history it can upgrade from, the version of its own
 *     scripts that equals it
 */
public record OwnedMigrations(String owner, String location, String historyTable,
        Map<Integer, String> singleHistoryBaselines) {

    /** ingest-service: the intent tables, tasks, outbox, intake and REST submission records, its run state. */
    public static final OwnedMigrations INGEST = new OwnedMigrations("ingest-service", "classpath:db/ingest",
            "flyway_history_ingest", Map.of(11, "6", 12, "7"));

    /** artifact-service (the sink): runs, artifacts, their pinned inputs, blob uploads, its read-contract views. */
    public static final OwnedMigrations SINK = new OwnedMigrations("artifact-service", "classpath:db/sink",
            "flyway_history_sink", Map.of(11, "5", 12, "5"));

    /** The history every owner's tables came from before each service migrated itself. */
    public static final String SINGLE_HISTORY = "flyway_schema_history";

    public OwnedMigrations {
        singleHistoryBaselines = Map.copyOf(singleHistoryBaselines);
    }

    /** Applies the owner's folder, history table and baseline rule (over whatever {@code spring.flyway.*} says). */
    public FluentConfiguration configure(FluentConfiguration configuration) {
        return configuration.locations(location).table(historyTable).baselineOnMigrate(true).baselineVersion("0")
                .baselineDescription("schema shared with another owner");
    }

    /** A Flyway for this owner on {@code dataSource}; tests and tools use it, the services get theirs from Spring. */
    public Flyway flyway(DataSource dataSource) {
        return configure(Flyway.configure().dataSource(dataSource)).load();
    }

    /** For Spring Boot's Flyway: this owner's configuration. */
    public FlywayConfigurationCustomizer customizer() {
        return this::configure;
    }

    /** For Spring Boot's Flyway: {@link #migrate}, so the service migrates itself at start. */
    public FlywayMigrationStrategy strategy() {
        return this::migrate;
    }

    /**
     * Migrates; first baselines this owner's history on a database of the single history (see the class comment).
     *
     * @throws IllegalStateException when the single history exists at a version this owner cannot upgrade from
     */
    public MigrateResult migrate(Flyway flyway) {
        Integer singleHistory = singleHistoryVersion(flyway.getConfiguration().getDataSource());
        if (singleHistory != null) {
            String baseline = singleHistoryBaselines.get(singleHistory);
            if (baseline == null) {
                throw new IllegalStateException(owner + " cannot upgrade this database in place: its " + SINGLE_HISTORY
                        + " is at version " + singleHistory + ", not one of " + new TreeMap<>(singleHistoryBaselines)
                        .keySet() + ". Start the previous release once so that it migrates to the last of those, then"
                        + " this one (docs/operations.md, 'Upgrading from the single history')");
            }
            Flyway.configure().configuration(flyway.getConfiguration()).baselineVersion(baseline)
                    .baselineDescription("tables created by " + SINGLE_HISTORY + " V" + singleHistory)
                    .load().baseline();
        }
        return flyway.migrate();
    }

    /** The version of the single history when it exists and this owner's history does not yet, else null. */
    private @org.jspecify.annotations.Nullable Integer singleHistoryVersion(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            if (tableExists(connection, historyTable) || !tableExists(connection, SINGLE_HISTORY)) {
                return null;
            }
            try (PreparedStatement last = connection.prepareStatement("SELECT coalesce(max(version::int), 0) FROM "
                    + SINGLE_HISTORY + " WHERE success AND version IS NOT NULL")) {
                try (ResultSet rs = last.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(owner + " could not inspect the database's migration histories", e);
        }
    }

    private static boolean tableExists(Connection connection, String table) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, table);
            try (ResultSet rs = exists.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
