package dev.cwom.artifacts.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.service.migration.OwnedMigrations;
import dev.cwom.testing.SharedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The sink's side of its read contract: the views its migrations create are exactly what
 * docs/contracts/sink-views-v1.md publishes (ingest's SinkContractTests holds ingest to the same file).
 */
class SinkViewsContractTests {

    static final Path PUBLISHED = Path.of("..", "docs", "contracts", "sink-views-v1.md");
    private static final Pattern ROW = Pattern.compile("^\\| (sink_\\w+) \\| (\\w+) \\| ([^|]+?) \\|$");

    @Test
    void theViewsHaveExactlyThePublishedColumnsAndTypesInOrder() throws IOException {
        DriverManagerDataSource db = new DriverManagerDataSource(SharedPostgres.newDatabase("sink_contract"),
                "postgres", "");
        OwnedMigrations.SINK.migrate(OwnedMigrations.SINK.flyway(db));

        List<String> actual = JdbcClient.create(db).sql("""
                        SELECT c.relname || ' ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                        WHERE c.relkind = 'v' AND c.relname LIKE 'sink\\_%' AND a.attnum > 0 AND NOT a.attisdropped
                        ORDER BY c.relname DESC, a.attnum""")
                .query(String.class).list();

        assertThat(actual).as("the sink's views (name, column, type) against " + PUBLISHED
                + ": change the views compatibly and publish the change there, or publish a new version")
                .containsExactlyElementsOf(published());
    }

    /** The (view, column, type) rows of the published description, in its order. */
    static List<String> published() throws IOException {
        return Files.readAllLines(PUBLISHED).stream().map(ROW::matcher).filter(Matcher::matches)
                .map(m -> m.group(1) + " " + m.group(2) + " " + m.group(3).trim()).toList();
    }
}
