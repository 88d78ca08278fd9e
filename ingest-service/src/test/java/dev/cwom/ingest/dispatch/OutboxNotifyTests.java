package dev.cwom.ingest.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.ingest.Http;
import dev.cwom.ingest.IngestApiTest;
import dev.cwom.ingest.IngestApplication;
import dev.cwom.ingest.SinkDatabase;
import dev.cwom.ingest.store.PostgresListener;
import dev.cwom.model.Ids;
import dev.cwom.testing.SharedKafka;
import dev.cwom.testing.SharedPostgres;
import dev.cwom.testing.TestTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two ingest instances on one database: one writes ready Issues and does not relay, the other relays with a poll
 * interval of an hour. The relay publishes the writer's work orders at once only because the writer's commit
 * NOTIFYs {@code cwom_outbox} and the relay LISTENs; after its listening connection is killed it listens again and
 * is woken as before.
 */
class OutboxNotifyTests {

    private static final Duration PROMPTLY = Duration.ofSeconds(20);

    static ConfigurableApplicationContext writer;
    static ConfigurableApplicationContext relay;
    static Http writerApi;
    static JdbcClient jdbc;

    @BeforeAll
    static void twoInstances() {
        String database = SinkDatabase.migrate(SharedPostgres.newDatabase("ingest_notify"));
        Map<String, Object> common = new HashMap<>();
        TestTokens.register((name, value) -> common.put(name, value.get()));
        common.put("spring.kafka.bootstrap-servers", SharedKafka.bootstrapServers());
        common.put("spring.kafka.properties.schema.registry.url", "mock://ingest-notify");
        common.put("spring.datasource.url", database);
        common.put("spring.datasource.username", "postgres");
        common.put("spring.datasource.password", "");
        common.put("server.address", "127.0.0.1");
        common.put("server.port", "0");
        common.put("spring.main.register-shutdown-hook", "false");
        common.put("cwom.ingest.policy.file", Path.of(IngestApiTest.PERMISSIVE_POLICY).toAbsolutePath().toString());
        common.put("cwom.ingest.intake.enabled", "false");
        common.put("cwom.ingest.run-status.enabled", "false");

        Map<String, Object> writes = new HashMap<>(common);
        writes.put("cwom.ingest.relay.enabled", "false");
        writer = new SpringApplicationBuilder(IngestApplication.class).run(arguments(writes));
        writerApi = new Http(((WebServerApplicationContext) writer).getWebServer().getPort());
        jdbc = writer.getBean(JdbcClient.class);

        Map<String, Object> relays = new HashMap<>(common);
        relays.put("cwom.ingest.relay.poll-interval", "1h");
        relays.put("cwom.ingest.relay.reconnect-interval", "200ms");
        relay = new SpringApplicationBuilder(IngestApplication.class).run(arguments(relays));
    }

    @AfterAll
    static void stop() {
        if (relay != null) {
            relay.close();
        }
        if (writer != null) {
            writer.close();
        }
    }

    @Test
    void anotherInstancesCommitWakesTheRelayAndItListensAgainAfterItsConnectionIsKilled() {
        PostgresListener listener = relay.getBean(PostgresListener.class);
        assertThat(writer.getBeansOfType(PostgresListener.class)).as("the writer does not relay").isEmpty();
        await().atMost(PROMPTLY).until(listener::listening);

        String first = readyIssue();
        await().atMost(PROMPTLY).untilAsserted(() -> assertThat(published(first)).isTrue());

        int killed = jdbc.sql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                + "WHERE datname = current_database() AND query = 'LISTEN " + OutboxWakeUp.CHANNEL + "'")
                .query(Integer.class).single();
        assertThat(killed).as("the relay's listening connection").isEqualTo(1);
        await().atMost(PROMPTLY).until(() -> !listener.listening());
        await().atMost(PROMPTLY).until(listener::listening);

        String second = readyIssue();
        await().atMost(PROMPTLY).untilAsserted(() -> assertThat(published(second)).isTrue());
    }

    /** A ready Issue created through the writer's API: its outbox row is written in the writer's transaction. */
    private static String readyIssue() {
        Http.Response repo = writerApi.post("/cwom/repos", """
                {"name": "Payments", "slug": "acme/notify-%s"}""".formatted(Ids.newUlid().toLowerCase()));
        assertThat(repo.status()).as(repo.toString()).isEqualTo(201);
        Http.Response issue = writerApi.post("/cwom/issues", """
                {"repo": {"kind": "Repo", "id": "%s"}, "title": "Add login", "type": "feature", "status": "ready"}"""
                .formatted(repo.json().get("id").asString()));
        assertThat(issue.status()).as(issue.toString()).isEqualTo(201);
        return issue.json().get("id").asString();
    }

    private static boolean published(String issueId) {
        return jdbc.sql("SELECT count(*) FROM outbox WHERE aggregate_id = :id AND published_at IS NOT NULL")
                .param("id", issueId).query(Integer.class).single() == 1;
    }

    private static String[] arguments(Map<String, Object> properties) {
        return properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }
}
