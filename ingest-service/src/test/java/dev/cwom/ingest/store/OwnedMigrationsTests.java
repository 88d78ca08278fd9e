package dev.cwom.ingest.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cwom.service.migration.OwnedMigrations;
import dev.cwom.testing.SharedPostgres;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * ingest's and the sink's histories on one database (in either order), on two, and on a database of the single
 * history of earlier releases (its scripts are kept in src/test/resources/db/legacy), which upgrades in place.
 */
class OwnedMigrationsTests {

    private static final List<String> INGEST_TABLES = List.of("cwom_repos", "cwom_issues", "tasks", "outbox",
            "intake_submissions", "ingest_issue_runs", "ingest_rest_submissions", "ingest_pinned_objects",
            "ingest_work_order_inputs", "ingest_replays");
    private static final List<String> SINK_TABLES = List.of("cwom_runs", "cwom_artifacts", "cwom_run_context_packets",
            "cwom_run_doctrine_refs", "cwom_blob_uploads", "cwom_run_provenance", "sink_runs_v1", "sink_artifacts_v1",
            "sink_run_inputs_v1");

    @Test
    void ingestThenTheSinkOnOneFreshDatabaseEachCreateAllTheirTables() {
        DataSource db = database("owned_ingest_first");
        int ingestScripts = pending(OwnedMigrations.INGEST, db);
        MigrateResult ingest = migrate(OwnedMigrations.INGEST, db);
        int sinkScripts = pending(OwnedMigrations.SINK, db);
        MigrateResult sink = migrate(OwnedMigrations.SINK, db);

        assertThat(ingest.migrationsExecuted).isEqualTo(ingestScripts).isGreaterThanOrEqualTo(6);
        // the sink finds ingest's tables: a baseline at 0, then every one of its scripts
        assertThat(sink.migrationsExecuted).isEqualTo(sinkScripts).isGreaterThanOrEqualTo(6);
        assertThat(relations(db)).containsAll(INGEST_TABLES).containsAll(SINK_TABLES);
        assertThat(versions(db, "flyway_history_sink").getFirst()).isEqualTo("0");
    }

    @Test
    void theSinkThenIngestOnOneFreshDatabaseEachCreateAllTheirTables() {
        DataSource db = database("owned_sink_first");
        migrate(OwnedMigrations.SINK, db);
        int ingestScripts = pending(OwnedMigrations.INGEST, db);
        MigrateResult ingest = migrate(OwnedMigrations.INGEST, db);

        assertThat(ingest.migrationsExecuted).isEqualTo(ingestScripts).isGreaterThanOrEqualTo(6);
        assertThat(relations(db)).containsAll(INGEST_TABLES).containsAll(SINK_TABLES);
    }

    @Test
    void eachOwnerMigratesADatabaseOfItsOwn() {
        DataSource ingestDb = database("owned_ingest_alone");
        DataSource sinkDb = database("owned_sink_alone");
        migrate(OwnedMigrations.INGEST, ingestDb);
        migrate(OwnedMigrations.SINK, sinkDb);

        assertThat(relations(ingestDb)).containsAll(INGEST_TABLES).doesNotContainAnyElementsOf(SINK_TABLES);
        assertThat(relations(sinkDb)).containsAll(SINK_TABLES).doesNotContainAnyElementsOf(INGEST_TABLES);
    }

    @Test
    void aDatabaseOfTheSingleHistoryAtV12UpgradesInPlaceKeepingItsRowsAndLosingTheCrossOwnerForeignKeys() {
        DataSource db = upgradedFromSingleHistory("12");

        assertThat(versions(db, "flyway_history_ingest")).containsExactly("7", "8", "9");
        assertThat(versions(db, "flyway_history_sink")).containsExactly("5", "6", "7", "8");
    }

    @Test
    void aDatabaseOfTheSingleHistoryAtV11UpgradesInPlaceAndGetsIngestsLaterScripts() {
        DataSource db = upgradedFromSingleHistory("11");

        // V7 (attempts), V8 (trace context) and V9 (work order inputs) came after V11 of the single history: they are applied, on top of
        // the baseline at 6
        assertThat(versions(db, "flyway_history_ingest")).containsExactly("6", "7", "8", "9");
        assertThat(versions(db, "flyway_history_sink")).containsExactly("5", "6", "7", "8");
        assertThat(relations(db)).contains("ingest_issue_attempts");
    }

    /**
     * A database migrated by the single history up to {@code version}, with a row in each owner's tables, then
     * migrated by both owners: checks that nothing was recreated or lost and that it ends up as a fresh one.
     */
    private static DataSource upgradedFromSingleHistory(String version) {
        DataSource db = database("owned_upgrade_v" + version);
        Flyway.configure().dataSource(db).locations("classpath:db/legacy").target(version).load().migrate();
        JdbcClient jdbc = JdbcClient.create(db);
        jdbc.sql("""
                INSERT INTO cwom_repos (id, name, slug, submitted, created_at, updated_at)
                    VALUES ('01JJ8Z5K4T3W6X7Y8Z9ABCDEF0', 'r', 'acme/r', '{}', now(), now());
                INSERT INTO cwom_issues (id, repo_id, title, type, submitted, created_at, updated_at)
                    VALUES ('01JJ8Z5K4T3W6X7Y8Z9ABCDEF1', '01JJ8Z5K4T3W6X7Y8Z9ABCDEF0', 't', 'feature', '{}', now(),
                            now());
                INSERT INTO cwom_runs (id, issue_id, repo_id, status, mode, last_heartbeat_at, created_at, updated_at)
                    VALUES ('01JJ8Z5K4T3W6X7Y8Z9ABCDEF2', '01JJ8Z5K4T3W6X7Y8Z9ABCDEF1', '01JJ8Z5K4T3W6X7Y8Z9ABCDEF0',
                            'running', 'agent', now(), now(), now() - interval '1 minute');
                INSERT INTO cwom_artifacts (id, run_id, issue_id, type, title, uri, created_at, updated_at)
                    VALUES ('01JJ8Z5K4T3W6X7Y8Z9ABCDEF3', '01JJ8Z5K4T3W6X7Y8Z9ABCDEF2', '01JJ8Z5K4T3W6X7Y8Z9ABCDEF1',
                            'log', 'log', 'https://example.org/log', now(), now())""").update();

        migrate(OwnedMigrations.INGEST, db);
        migrate(OwnedMigrations.SINK, db);

        // nothing recreated (a script below its baseline would fail on an existing table), nothing lost
        assertThat(jdbc.sql("SELECT count(*) FROM cwom_issues").query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT status FROM sink_runs_v1 WHERE id = '01JJ8Z5K4T3W6X7Y8Z9ABCDEF2'")
                .query(String.class).single()).isEqualTo("running");
        assertThat(jdbc.sql("SELECT count(*) FROM sink_artifacts_v1").query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT last_seen_at = updated_at FROM cwom_runs").query(Boolean.class).single())
                .isTrue();
        assertThat(foreignKeys(db)).contains("cwom_issues->cwom_repos", "tasks->cwom_issues",
                "cwom_artifacts->cwom_runs", "cwom_run_context_packets->cwom_runs")
                .filteredOn(fk -> SINK_TABLES.contains(fk.substring(0, fk.indexOf("->"))))
                .as("foreign keys from the sink's tables").allMatch(fk -> fk.endsWith("->cwom_runs"));
        // and a fresh database ends up with the same constraints
        DataSource fresh = database("owned_upgrade_fresh");
        migrate(OwnedMigrations.INGEST, fresh);
        migrate(OwnedMigrations.SINK, fresh);
        assertThat(foreignKeys(fresh)).containsExactlyInAnyOrderElementsOf(foreignKeys(db));
        assertThat(relations(fresh)).containsExactlyInAnyOrderElementsOf(relations(db).stream()
                .filter(table -> !table.equals(OwnedMigrations.SINGLE_HISTORY)).toList());
        return db;
    }

    @Test
    void aDatabaseOfTheSingleHistoryThatIsNotAtItsLastVersionIsRefusedNamingWhatToDo() {
        DataSource db = database("owned_upgrade_early");
        Flyway.configure().dataSource(db).locations("classpath:db/legacy").target("9").load().migrate();

        assertThatThrownBy(() -> migrate(OwnedMigrations.INGEST, db))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("flyway_schema_history is at version 9, not one of [11, 12]")
                .hasMessageContaining("docs/operations.md");
        assertThat(relations(db)).doesNotContain("flyway_history_ingest");
    }

    private static DataSource database(String prefix) {
        return new DriverManagerDataSource(SharedPostgres.newDatabase(prefix), "postgres", "");
    }

    private static MigrateResult migrate(OwnedMigrations owner, DataSource db) {
        return owner.migrate(owner.flyway(db));
    }

    private static int pending(OwnedMigrations owner, DataSource db) {
        return owner.flyway(db).info().pending().length;
    }

    private static List<String> versions(DataSource db, String history) {
        return JdbcClient.create(db).sql("SELECT version FROM " + history + " ORDER BY installed_rank")
                .query(String.class).list();
    }

    private static List<String> relations(DataSource db) {
        return JdbcClient.create(db).sql("SELECT table_name FROM information_schema.tables "
                + "WHERE table_schema = 'public'").query(String.class).list();
    }

    private static List<String> foreignKeys(DataSource db) {
        return JdbcClient.create(db).sql("""
                        SELECT DISTINCT tc.table_name || '->' || ccu.table_name
                        FROM information_schema.table_constraints tc
                        JOIN information_schema.constraint_column_usage ccu ON tc.constraint_name = ccu.constraint_name
                        WHERE tc.constraint_type = 'FOREIGN KEY'""").query(String.class).list();
    }
}
