package dev.cwom.cli;

import dev.cwom.artifacts.ArtifactApplication;
import dev.cwom.ingest.IngestApplication;
import dev.cwom.testing.SharedKafka;
import dev.cwom.testing.SharedPostgres;
import dev.cwom.testing.TestTokens;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * ingest-service and artifact-service, for real and in this JVM (the cheapest honest set-up): each from its own
 * application class and its own {@code application.yml} (both are on the classpath under one name, so each is named
 * by file), on 127.0.0.1 with a random port, the shared broker, one database of their own and the tests' tokens.
 * Started once per test JVM and left to the JVM's end, like the shared broker.
 */
final class CliServices {

    /** The in-memory registry both services and {@code submit --via kafka} share. */
    static final String REGISTRY = "mock://cli-tests";

    private static String ingestUrl;
    private static String blobsUrl;

    private CliServices() {
    }

    /** ingest-service's base URL, starting both services on first use. */
    static synchronized String ingestUrl() {
        start();
        return ingestUrl;
    }

    /** artifact-service's base URL. */
    static synchronized String blobsUrl() {
        start();
        return blobsUrl;
    }

    private static void start() {
        if (ingestUrl != null) {
            return;
        }
        Map<String, Object> common = new HashMap<>();
        TestTokens.register((name, value) -> common.put(name, value.get()));
        common.put("spring.kafka.bootstrap-servers", SharedKafka.bootstrapServers());
        common.put("spring.kafka.properties.schema.registry.url", REGISTRY);
        String database = SharedPostgres.newDatabase("cli");
        common.put("spring.datasource.url", database);
        common.put("spring.datasource.username", "postgres");
        common.put("spring.datasource.password", "");
        common.put("server.address", "127.0.0.1");
        common.put("server.port", "0");
        // Never closed: the JVM ends with the tests. Spring's shutdown hooks would close the contexts while the
        // shared broker stops in its own hook, and keep the forked JVM from exiting for Surefire's 30 s.
        common.put("spring.main.register-shutdown-hook", "false");

        Map<String, Object> ingest = new HashMap<>(common);
        ingest.put("spring.config.location", location("ingest-service"));
        ingest.put("cwom.ingest.policy.file", Path.of("../ingest-service/src/test/resources/policy/permissive.yaml")
                .toAbsolutePath().normalize().toString());
        ingestUrl = "http://127.0.0.1:" + port(new SpringApplicationBuilder(IngestApplication.class)
                .run(arguments(ingest)));

        // After ingest, as the local stack starts them; each migrates its own tables into the shared database.
        Map<String, Object> artifacts = new HashMap<>(common);
        artifacts.put("spring.config.location", location("artifact-service"));
        artifacts.put("cwom.artifact.blobs.root", Path.of("target", "test-blobs", UUID.randomUUID().toString())
                .toAbsolutePath().toString());
        artifacts.put("cwom.artifact.reaper.enabled", "false");
        artifacts.put("cwom.artifact.blobs.janitor-enabled", "false");
        blobsUrl = "http://127.0.0.1:" + port(new SpringApplicationBuilder(ArtifactApplication.class)
                .run(arguments(artifacts)));
    }

    /** As command-line arguments: they win over application.yml (default properties would not). */
    private static String[] arguments(Map<String, Object> properties) {
        return properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }

    private static String location(String module) {
        return "file:" + Path.of("..", module, "src/main/resources/application.yml").toAbsolutePath().normalize();
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
