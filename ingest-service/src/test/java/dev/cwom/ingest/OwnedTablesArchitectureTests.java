package dev.cwom.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.testing.OwnedSql;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Architecture rule: SQL naming a table appears only in its owner's module. */
class OwnedTablesArchitectureTests {

    @Test
    void ingestNamesNoTableOfTheSinkOnlyItsPublishedViews() {
        Set<String> sinkTables = OwnedSql.created(OwnedSql.SINK_MIGRATIONS, "TABLE");
        Set<String> sinkViews = OwnedSql.created(OwnedSql.SINK_MIGRATIONS, "VIEW");

        assertThat(OwnedSql.naming(Path.of("src", "main"), sinkTables))
                .as("rule 'SQL naming a table appears only in its owner's module' broken in ingest-service/src/main: "
                        + "these files name tables of artifact-service (%s). Ingest reads the sink's data only through"
                        + " its published views %s (docs/contracts/sink-views-v1.md), in dev.cwom.ingest.sinkcontract,"
                        + " so that the sink can change its tables, or move to a database of its own, without"
                        + " breaking ingest at run time", sinkTables, sinkViews)
                .isEmpty();
        assertThat(sinkViews).as("the sink's published views").contains("sink_runs_v1", "sink_artifacts_v1");
    }

    @Test
    void onlyTheSinkContractPackageNamesTheSinksViews() {
        Set<String> sinkViews = OwnedSql.created(OwnedSql.SINK_MIGRATIONS, "VIEW");

        assertThat(OwnedSql.naming(Path.of("src", "main"), sinkViews))
                .as("rule 'ingest reads the sink's views through one reader': only dev.cwom.ingest.sinkcontract may"
                        + " name %s, so that one place says which columns ingest relies on (SinkContractTests checks"
                        + " them against the published contract)", sinkViews)
                .allMatch(v -> v.file().toString().contains("sinkcontract"));
    }
}
