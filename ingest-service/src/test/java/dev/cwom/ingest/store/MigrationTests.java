package dev.cwom.ingest.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.service.migration.OwnedMigrations;
import dev.cwom.testing.SharedPostgres;
import java.util.List;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** ingest's own history builds its tables on an empty database, and nothing of the sink's. */
class MigrationTests {

    private static JdbcClient jdbc;
    private static MigrateResult result;

    @BeforeAll
    static void migrateAnEmptyDatabase() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(SharedPostgres.newDatabase("ingest_migration"),
                "postgres", "");
        result = OwnedMigrations.INGEST.migrate(OwnedMigrations.INGEST.flyway(dataSource));
        jdbc = JdbcClient.create(dataSource);
    }

    @Test
    void appliesEveryMigrationOnAnEmptyDatabaseIntoItsOwnHistory() {
        assertThat(result.success).isTrue();
        assertThat(result.migrationsExecuted).isGreaterThanOrEqualTo(6);
        assertThat(jdbc.sql("SELECT count(*) FROM flyway_history_ingest WHERE success").query(Long.class).single())
                .isEqualTo(result.migrationsExecuted);
    }

    @Test
    void createsATablePerIntentKindTheJoinTablesTasksAndOutboxAndNoneOfTheSinks() {
        List<String> tables = jdbc.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
                .query(String.class).list();

        assertThat(tables).contains("cwom_repos", "cwom_issues", "cwom_context_packets", "cwom_constraint_snapshots",
                "cwom_doctrine_refs", "cwom_issue_context_packets", "cwom_issue_doctrine_refs",
                "cwom_issue_constraint_snapshots", "cwom_context_packet_doctrine_refs", "tasks", "outbox",
                "intake_submissions", "ingest_issue_runs", "ingest_rest_submissions");
        assertThat(tables).doesNotContain("cwom_runs", "cwom_artifacts", "cwom_run_context_packets",
                "cwom_run_doctrine_refs", "cwom_blob_uploads", "flyway_schema_history");
    }

    @Test
    void primaryRelationshipsAreForeignKeys() {
        List<String> foreignKeys = jdbc.sql("""
                        SELECT tc.table_name || '.' || kcu.column_name || '->' || ccu.table_name
                        FROM information_schema.table_constraints tc
                        JOIN information_schema.key_column_usage kcu ON tc.constraint_name = kcu.constraint_name
                        JOIN information_schema.constraint_column_usage ccu ON tc.constraint_name = ccu.constraint_name
                        WHERE tc.constraint_type = 'FOREIGN KEY'""")
                .query(String.class).list();

        assertThat(foreignKeys).contains(
                "cwom_issues.repo_id->cwom_repos",
                "cwom_context_packets.issue_id->cwom_issues",
                "cwom_context_packets.constraint_snapshot_id->cwom_constraint_snapshots",
                "cwom_issue_context_packets.issue_id->cwom_issues",
                "cwom_issue_context_packets.context_packet_id->cwom_context_packets",
                "cwom_issue_doctrine_refs.doctrine_ref_id->cwom_doctrine_refs",
                "cwom_issue_constraint_snapshots.constraint_snapshot_id->cwom_constraint_snapshots",
                "cwom_context_packet_doctrine_refs.context_packet_id->cwom_context_packets",
                "tasks.cwom_issue_id->cwom_issues");
    }

    @Test
    void naturalKeysAreUnique() {
        List<String> unique = jdbc.sql("""
                        SELECT tc.table_name || '(' || string_agg(kcu.column_name, ',' ORDER BY kcu.ordinal_position) || ')'
                        FROM information_schema.table_constraints tc
                        JOIN information_schema.key_column_usage kcu ON tc.constraint_name = kcu.constraint_name
                        WHERE tc.constraint_type = 'UNIQUE' GROUP BY tc.table_name, tc.constraint_name""")
                .query(String.class).list();

        assertThat(unique).contains("cwom_repos(slug)", "cwom_doctrine_refs(namespace,name,version)",
                "cwom_context_packets(issue_id,version)", "tasks(idempotency_key)", "outbox(event_id)");
    }

    @Test
    void theCommonQueriesHaveIndexes() {
        List<String> indexes = jdbc.sql("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")
                .query(String.class).list();

        assertThat(indexes).contains("ix_cwom_issues_repo_status", "ix_cwom_issues_status", "ix_cwom_issues_type",
                "ix_cwom_issues_priority", "ix_outbox_pending", "ix_ingest_issue_runs_issue");
    }

    @Test
    void refusesAnEnumValueTheModelCannotRead() {
        jdbc.sql("INSERT INTO cwom_repos (id, name, slug, submitted, created_at, updated_at) "
                + "VALUES ('01JJ8Z5K4T3W6X7Y8Z9ABCDEFG', 'r', 'r', '{}', now(), now())").update();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> jdbc.sql(
                        "INSERT INTO cwom_issues (id, repo_id, title, type, status, submitted, created_at, updated_at) "
                        + "VALUES ('01JJ8Z5K4T3W6X7Y8Z9ABCDEFH', '01JJ8Z5K4T3W6X7Y8Z9ABCDEFG', 't', 'feature', 'urgent',"
                        + " '{}', now(), now())").update())
                .hasMessageContaining("cwom_issues_status_check");
    }
}
