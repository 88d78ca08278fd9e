package dev.cwom.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.testing.OwnedSql;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Architecture rule: SQL naming a table appears only in its owner's module. */
class OwnedTablesArchitectureTests {

    @Test
    void theSinkNamesNoTableOfIngest() {
        Set<String> ingestTables = OwnedSql.created(OwnedSql.INGEST_MIGRATIONS, "TABLE");

        assertThat(OwnedSql.naming(Path.of("src", "main"), ingestTables))
                .as("rule 'SQL naming a table appears only in its owner's module' broken in artifact-service/src/main:"
                        + " these files name tables of ingest-service (%s). The sink stores what its events carry"
                        + " (an ArtifactCreated names its run's repo) and reads no other owner's table, so that each"
                        + " service can change its tables, or use a database of its own, alone", ingestTables)
                .isEmpty();
    }
}
