package dev.cwom.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Architecture rule: SQL naming a table appears only in its owner's module; schemas, the model, owns none. */
class SchemasHoldNoSqlTests {

    @Test
    void schemasHasNoMigrationAndNamesNoTable() {
        Set<String> tables = new TreeSet<>(OwnedSql.created(OwnedSql.INGEST_MIGRATIONS, "TABLE"));
        tables.addAll(OwnedSql.created(OwnedSql.SINK_MIGRATIONS, "TABLE"));
        tables.addAll(OwnedSql.created(OwnedSql.SINK_MIGRATIONS, "VIEW"));

        assertThat(OwnedSql.sqlScripts(Path.of("src", "main")))
                .as("rule 'schemas holds no SQL': these scripts belong in the migrations of the service that owns"
                        + " the tables (ingest-service db/ingest, artifact-service db/sink), which migrates them itself")
                .isEmpty();
        assertThat(OwnedSql.naming(Path.of("src", "main"), tables))
                .as("rule 'schemas holds no SQL': the model module knows no service's tables (%s)", tables)
                .isEmpty();
    }
}
