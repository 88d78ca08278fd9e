package dev.cwom.ingest.sinkcontract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.ingest.IngestProperties;
import dev.cwom.ingest.SinkDatabase;
import dev.cwom.service.migration.OwnedMigrations;
import dev.cwom.testing.SharedPostgres;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Two databases: with cwom.ingest.sink-contract.url set, ingest reads the views and listens in the sink's. */
class SinkContractConfigurationTests {

    private static final String RUN = "01JJ8Z5K4T3W6X7Y8Z9ABCDEF9";

    @Test
    void withAUrlTheContractReadsAndListensInTheSinksDatabaseNotIngests() throws Exception {
        String ingestUrl = SharedPostgres.newDatabase("two_db_ingest");
        DriverManagerDataSource ingestDb = new DriverManagerDataSource(ingestUrl, "postgres", "");
        OwnedMigrations.INGEST.migrate(OwnedMigrations.INGEST.flyway(ingestDb));
        String sinkUrl = SinkDatabase.migrate(SharedPostgres.newDatabase("two_db_sink"));
        JdbcClient sink = JdbcClient.create(new DriverManagerDataSource(sinkUrl, "postgres", ""));
        IngestProperties properties = new Binder(new MapConfigurationPropertySource(Map.of(
                "cwom.ingest.sink-contract.url", sinkUrl, "cwom.ingest.sink-contract.username", "postgres",
                "cwom.ingest.sink-contract.password", "", "cwom.ingest.sink-contract.poll-interval", "10m")))
                .bindOrCreate("cwom.ingest", IngestProperties.class);
        DataSourceProperties ingestDatabase = new DataSourceProperties();
        ingestDatabase.setUrl(ingestUrl);
        ingestDatabase.setUsername("postgres");
        SinkContractConfiguration configuration = new SinkContractConfiguration();

        try (SinkContractConfiguration.SinkDatabase database = configuration.sinkDatabase(properties,
                JdbcClient.create(ingestDb));
                SinkStoredSignal signal = configuration.sinkStoredSignal(properties, ingestDatabase);
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            SinkContract contract = configuration.sinkContract(database);
            await().atMost(Duration.ofSeconds(10)).until(signal::listening);
            Future<Boolean> waiting = threads.submit(() -> signal.await(SinkStoredSignal.runKey(RUN),
                    Duration.ofSeconds(30), () -> contract.runStored(RUN)));
            Thread.sleep(300);

            sink.sql("INSERT INTO cwom_runs (id, issue_id, repo_id, status, created_at, updated_at) "
                    + "VALUES (:id, 'I', 'R', 'planned', now(), now())").param("id", RUN).update();
            sink.sql(SinkDatabase.NOTIFY_RUN).param("id", RUN).query(Object.class).list();

            // woken by the notice in the sink's database (polling is set to 10 minutes), read from its views
            assertThat(waiting.get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(contract.run(RUN)).isPresent();
            assertThat(JdbcClient.create(ingestDb).sql("SELECT to_regclass('sink_runs_v1') IS NULL")
                    .query(Boolean.class).single()).as("ingest's own database has no sink views").isTrue();
        }
    }
}
