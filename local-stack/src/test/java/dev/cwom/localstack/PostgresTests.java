package dev.cwom.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresTests {

    @TempDir
    Path folder;

    @Test
    void createsTheCwomDatabaseAndKeepsItsRowsAcrossARestart() throws Exception {
        int port = FreePorts.next();
        try (Postgres first = Postgres.embedded(folder.resolve("postgres"), port, folder.resolve("postgres.log"))) {
            first.start(Duration.ofSeconds(60));
            assertThat(first.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + port + "/cwom");
            try (Connection c = first.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (id text PRIMARY KEY)");
                s.execute("INSERT INTO kept VALUES ('issue-1')");
            }
        }
        try (Postgres second = Postgres.embedded(folder.resolve("postgres"), port, folder.resolve("postgres.log"))) {
            second.start(Duration.ofSeconds(60));
            try (Connection c = second.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id FROM kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("issue-1");
            }
        }
    }

    @Test
    void rejectsAJdbcUrlThatIsNotPostgresWithTheExpectedForm() {
        assertThatThrownBy(() -> Postgres.external("jdbc:mysql://127.0.0.1/cwom", "u", "p"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:mysql://127.0.0.1/cwom")
                .hasMessageContaining("--jdbc-url=jdbc:postgresql://");
    }
}
