package dev.cwom.registry;

import com.sun.net.httpserver.HttpServer;
import dev.cwom.auth.ApiTokens;
import dev.cwom.events.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Confluent-Schema-Registry-compatible server on the JDK's HTTP server, for the local stack and tests: embeddable
 * ({@link #start()} answers the bound port) or run with {@link #main}. Schemas live in a compacted Kafka topic and are
 * replayed at start, so ids survive a restart. One instance per store topic (no leader election).
 */
public final class SchemaRegistryServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryServer.class);

    /**
     * How to run the server.
     *
     * @param host                 the address to bind (default 127.0.0.1: nothing outside the machine reaches it)
     * @param port                 the port, 0 for any free one (default 0; Confluent's usual port is 8081)
     * @param bootstrapServers     the Kafka cluster holding the store; null keeps schemas in memory only
     * @param topic                the store topic (default {@code _schemas}, as Confluent's {@code kafkastore.topic})
     * @param defaultCompatibility the global level until one is set (default BACKWARD)
     * @param storeTimeout         bounds every Kafka operation of the store (default 15 s)
     * @param writers              the API tokens allowed to change the registry (those with scope
     *                             {@code schemas.write}), sent as Confluent's clients send them: HTTP basic auth
     *                             with the token as password, or a bearer token; null leaves writes open (tests)
     */
    public record Settings(String host, int port, @Nullable String bootstrapServers, String topic,
                           CompatibilityLevel defaultCompatibility, Duration storeTimeout,
                           @Nullable ApiTokens writers) {

        /** Loopback, any free port, in memory, {@code _schemas}, BACKWARD, 15 s. */
        public static Settings defaults() {
            return new Settings("127.0.0.1", 0, null, Topics.SCHEMAS, CompatibilityLevel.BACKWARD,
                    Duration.ofSeconds(15), null);
        }

        /** These settings storing in the Kafka cluster at {@code servers}. */
        public Settings withKafka(String servers) {
            return new Settings(host, port, servers, topic, defaultCompatibility, storeTimeout, writers);
        }

        /** These settings with another store topic (tests sharing a broker use one each). */
        public Settings withTopic(String storeTopic) {
            return new Settings(host, port, bootstrapServers, storeTopic, defaultCompatibility, storeTimeout, writers);
        }

        /** These settings bound to {@code bindHost}:{@code bindPort}. */
        public Settings withAddress(String bindHost, int bindPort) {
            return new Settings(bindHost, bindPort, bootstrapServers, topic, defaultCompatibility, storeTimeout,
                    writers);
        }

        /** These settings with writes allowed only to {@code tokens} with scope {@code schemas.write}. */
        public Settings withWriters(ApiTokens tokens) {
            return new Settings(host, port, bootstrapServers, topic, defaultCompatibility, storeTimeout, tokens);
        }
    }

    private final Settings settings;
    private @Nullable HttpServer server;
    private @Nullable ExecutorService executor;
    private @Nullable SchemaStore store;

    public SchemaRegistryServer(Settings settings) {
        this.settings = settings;
    }

    /** Replays the store, binds, and answers the bound port. */
    public synchronized int start() {
        if (server != null) {
            throw new IllegalStateException("Already started on port " + port());
        }
        store = settings.bootstrapServers() == null
                ? SchemaStore.inMemory()
                : new KafkaSchemaStore(settings.bootstrapServers(), settings.topic(), settings.storeTimeout());
        SchemaRegistry registry = SchemaRegistry.open(store, settings.defaultCompatibility());
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "schema-registry-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 0);
            http.createContext("/", new RegistryHttpHandler(registry, settings.writers()));
            http.setExecutor(executor);
            http.start();
            server = http;
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("Could not bind the schema registry to " + settings.host() + ":"
                    + settings.port() + " (port in use? choose another, or 0 for any free one)", e);
        }
        LOG.info("Schema registry listening on {} with {} store{}", url(),
                settings.bootstrapServers() == null ? "an in-memory" : "the Kafka",
                settings.bootstrapServers() == null ? "" : " " + settings.topic() + " at "
                        + settings.bootstrapServers());
        return port();
    }

    /** The bound port. */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("Not started: call start() first");
        }
        return server.getAddress().getPort();
    }

    /** The base URL clients put in {@code schema.registry.url}. */
    public String url() {
        return "http://" + (settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host()) + ":"
                + port();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
        if (store != null) {
            store.close();
            store = null;
        }
    }

    /**
     * Runs the server until the JVM is stopped. Options ({@code --help} lists them): {@code --kafka=<bootstrap
     * servers>} (required unless {@code --in-memory}), {@code --host=127.0.0.1}, {@code --port=8081},
     * {@code --topic=_schemas}, {@code --compatibility=BACKWARD}, {@code --writer=<name>:<sha256 of its API token>}
     * (repeatable; without one, anyone may register schemas). Wrong options exit 2.
     */
    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new RegistryCommand()).execute(args));
    }
}
