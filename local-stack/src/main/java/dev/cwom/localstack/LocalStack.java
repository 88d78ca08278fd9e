package dev.cwom.localstack;

import dev.cwom.provenance.SigningKeys;
import dev.cwom.registry.SchemaRegistryServer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/**
 * The whole pipeline on one machine: a Kafka broker or a cluster of three ({@code --brokers=3}, KRaft), the schema
 * registry (in this JVM), PostgreSQL (or an
 * existing one), ingest-service,
 * artifact-service and the worker-service instances, each a child process, started in dependency order and stopped
 * in reverse order on {@link #close()} (which the JVM's shutdown hook calls on Ctrl-C).
 *
 * <p>Run it with {@code ./mvnw -B -pl local-stack -am -Pdemo package}, or {@code java -cp ... LocalStack --help}.
 */
public final class LocalStack implements AutoCloseable {

    private final LocalStackSettings settings;
    private final Deque<Runnable> stopInReverse = new ArrayDeque<>();
    private final List<StackComponent> components = new ArrayList<>();
    private final List<ServiceProcess> services = new ArrayList<>();
    private String registryUrl = "";
    private volatile @Nullable KafkaCluster kafka;
    private volatile @Nullable Postgres postgres;
    private volatile @Nullable Credentials credentials;
    private boolean closed;

    public LocalStack(LocalStackSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--help")) {
            System.out.println("Options (each also as -D" + LocalStackSettings.PROPERTY_PREFIX + "<name>=<value>):");
            System.out.println(LocalStackSettings.usage());
            return;
        }
        LocalStackSettings settings;
        try {
            settings = LocalStackSettings.parse(args, withCiDefaults(System.getProperties(), System.getenv("CI")));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        LocalStack stack = new LocalStack(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            stopped.countDown();
        }, "local-stack-stop"));
        try {
            stack.start();
        } catch (RuntimeException e) {
            System.err.println("The local stack could not start: " + e.getMessage());
            System.exit(1);
        }
        boolean demoPassed;
        try {
            demoPassed = new Demo(stack, System.out).run();
        } catch (RuntimeException e) {
            System.err.println("The demo failed: " + e.getMessage());
            demoPassed = false;
        }
        if (settings.exitAfterDemo()) {
            System.exit(demoPassed ? 0 : 3);
        }
        System.out.println("The stack runs until Ctrl-C; data stays in " + settings.dataDir());
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Where {@code CI=true} nobody is there to press Ctrl-C, so the stack stops after the demo unless told otherwise;
     * the demo's outcome is then the exit code.
     */
    static Properties withCiDefaults(Properties systemProperties, @Nullable String ci) {
        Properties properties = new Properties();
        properties.putAll(systemProperties);
        String exitAfterDemo = LocalStackSettings.PROPERTY_PREFIX + LocalStackSettings.Flag.EXIT_AFTER_DEMO.flag();
        if ("true".equalsIgnoreCase(ci) && !properties.containsKey(exitAfterDemo)) {
            properties.setProperty(exitAfterDemo, "true");
        }
        return properties;
    }

    /**
     * Checks every port the settings name, before anything starts, so a clash names the port and its flag.
     *
     * @throws PortTakenException for the first port that is taken
     * @throws IllegalArgumentException when two components were given the same port
     */
    public static void checkPorts(LocalStackSettings settings) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (int i = 0; i < settings.brokers(); i++) {
            String node = settings.brokers() == 1 ? "" : " #" + (i + 1);
            ports.put("Kafka broker" + node + "|kafka-port", settings.kafkaPorts().get(i));
            ports.put("Kafka controller" + node + "|kafka-controller-port", settings.kafkaControllerPorts().get(i));
        }
        if (settings.jdbcUrl() == null) {
            ports.put("PostgreSQL|postgres-port", settings.postgresPort());
        }
        ports.put("schema registry|registry-port", settings.registryPort());
        ports.put("ingest-service|ingest-port", settings.ingestPort());
        ports.put("artifact-service|artifact-port", settings.artifactPort());
        for (int i = 0; i < settings.workerPorts().size(); i++) {
            ports.put("worker-service #" + (i + 1) + "|worker-ports", settings.workerPorts().get(i));
        }
        Map<Integer, String> seen = new HashMap<>();
        ports.forEach((key, port) -> {
            String[] componentAndFlag = key.split("\\|");
            String clash = seen.put(port, componentAndFlag[0]);
            if (clash != null) {
                throw new IllegalArgumentException(clash + " and " + componentAndFlag[0] + " were both given port "
                        + port + ": give one of them another port with --" + componentAndFlag[1] + "=<port>");
            }
            Ports.requireFree(componentAndFlag[0], port, componentAndFlag[1]);
        });
    }

    /** Starts every component in dependency order; on failure, what already started is stopped by {@link #close()}. */
    public synchronized void start() {
        checkPorts(settings);
        Credentials credentials = Credentials.loadOrCreate(settings.dataDir());
        this.credentials = credentials;
        if (settings.flightRecordings()) {
            StackFolders.createJfrDir(settings);
        }
        System.out.println("API tokens (cwom.read, cwom.submit, cwom.report, cwom.admin, ...) are in "
                + credentials.file() + "; load them with: set -a; . " + credentials.file() + "; set +a");
        // The operator's attestation key, made on first start (owner-only, never in the repo): artifact-service signs
        // with it, ingest publishes its public half at /cwom/.well-known/provenance-keys (docs/provenance.md).
        Path signingKey = settings.dataDir().resolve("keys").resolve("provenance.key");
        try {
            System.out.println("Attestations are signed with " + signingKey + " (key id "
                    + SigningKeys.loadOrCreate(signingKey).keyId() + ")");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot create the attestation key " + signingKey, e);
        }
        startKafka();
        String registryUrl = startRegistry(credentials);
        Postgres postgres = startPostgres();
        // every service's Kafka settings, and its span logging when asked for (a sampled span is one that is logged)
        Map<String, String> kafka = merge(Map.of(
                "spring.kafka.bootstrap-servers", bootstrapServers(),
                "spring.kafka.properties.schema.registry.url", registryUrl), topicReplication(), settings.logSpans()
                ? Map.of("cwom.tracing.log-spans", "true", "management.tracing.sampling.probability", "1.0")
                : Map.of());
        Map<String, String> database = Map.of(
                "spring.datasource.url", postgres.jdbcUrl(),
                "spring.datasource.username", postgres.username(),
                "spring.datasource.password", postgres.password());

        // ingest-service first (the workers need its topics); each service migrates its own tables into the shared
        // database, so artifact-service creates its tables and the views ingest reads when it starts next.
        Map<String, String> tokens = credentials.serviceProperties();
        Path policy = StackFolders.policyFile(settings);
        System.out.println("The operator's policy: " + policy);
        String artifactUrl = "http://127.0.0.1:" + settings.artifactPort();
        // The console reads artifact bodies through ingest, which relays them from this blob store only.
        ServiceProcess ingest = service("ingest-service", ServiceJars.INGEST, settings.ingestPort(),
                merge(kafka, database, tokens, Map.of("cwom.ingest.policy.file", policy.toString(),
                        "cwom.ingest.provenance.public-key-files[0]", signingKey + ".pub",
                        "cwom.ingest.console.blobs-url", artifactUrl)),
                credentials.ingestEnvironment());
        startAll(List.of(ingest));
        components.add(new StackComponent("web console", consoleUrl(), -1, null));

        List<ServiceProcess> rest = new ArrayList<>();
        rest.add(service("artifact-service", ServiceJars.ARTIFACT, settings.artifactPort(), merge(kafka, database,
                tokens, Map.of("cwom.artifact.blobs.root", settings.blobsDir().toString(),
                        "cwom.artifact.blobs.public-base-url", artifactUrl,
                        "cwom.artifact.provenance.signing-key-file", signingKey.toString(),
                        // Workers' traces are referenced by artifacts and never deleted: no quota would fit them.
                        "cwom.artifact.blobs.quota.principals.worker.bytes", "0",
                        "cwom.artifact.blobs.quota.principals.worker.uploads-per-minute", "0")),
                credentials.sinkEnvironment()));
        Path workRoot = StackFolders.workRoot(settings);
        for (int i = 0; i < settings.workerPorts().size(); i++) {
            String instance = "worker-" + (i + 1);
            rest.add(service("worker-service #" + (i + 1), ServiceJars.WORKER, settings.workerPorts().get(i),
                    merge(kafka, tokens, Map.of(
                            "cwom.worker.worker-id", instance,
                            "cwom.worker.trace-root", settings.tracesDir().resolve(instance).toString(),
                            "cwom.worker.work-root", workRoot.resolve(instance).toString(),
                            "cwom.worker.blobs.url", artifactUrl,
                            // Defence in depth: even a --policy that allows a shell does not get one here.
                            "cwom.worker.ceiling.blocked-tools", "sh,bash,dash,zsh",
                            "cwom.worker.pickup.mode", settings.shareGroup() ? "share-group" : "consumer-group")),
                    credentials.workerEnvironment()));
        }
        startAll(rest);
    }

    /** What runs, in start order, for tables and messages. */
    public synchronized List<StackComponent> components() {
        // A service restarted after a kill (the crash tests do it) has a new pid: the table shows the live one.
        return components.stream().map(component -> services.stream()
                .filter(service -> service.name().equals(component.name())).findFirst()
                .map(service -> new StackComponent(component.name(), component.address(), service.pid(),
                        component.log()))
                .orElse(component)).toList();
    }

    /** Every Kafka node's address, comma-separated, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return settings.kafkaPorts().stream().map(port -> "127.0.0.1:" + port)
                .collect(java.util.stream.Collectors.joining(","));
    }

    /** The Kafka nodes, to kill, stop or restart one of them (fault drills, tests); see {@link KafkaCluster}. */
    public KafkaCluster kafka() {
        KafkaCluster started = kafka;
        if (started == null) {
            throw new IllegalStateException("Kafka has not started yet; call start() first");
        }
        return started;
    }

    /** The schema registry's URL, for {@code schema.registry.url}; empty before {@link #start()}. */
    public String registryUrl() {
        return registryUrl;
    }

    /** The database's JDBC URL (the services' {@code spring.datasource.url}). */
    public String jdbcUrl() {
        return database().jdbcUrl();
    }

    public String jdbcUser() {
        return database().username();
    }

    public String jdbcPassword() {
        return database().password();
    }

    /** The stack's API tokens; see {@link Credentials}. */
    public Credentials credentials() {
        Credentials started = credentials;
        if (started == null) {
            throw new IllegalStateException("The stack has not started yet; call start() first");
        }
        return started;
    }

    private Postgres database() {
        Postgres started = postgres;
        if (started == null) {
            throw new IllegalStateException("PostgreSQL has not started yet; call start() first");
        }
        return started;
    }

    public LocalStackSettings settings() {
        return settings;
    }

    /** The running services, in start order. */
    public synchronized List<ServiceProcess> services() {
        return List.copyOf(services);
    }

    /** The web console, served by ingest-service (docs/console.md). */
    public String consoleUrl() {
        return "http://127.0.0.1:" + settings.ingestPort() + "/console/";
    }

    /** The base URL of the named service ({@code ingest-service}, {@code artifact-service}, ...). */
    public String serviceUrl(String name) {
        return service(name).baseUrl();
    }

    /** The named service ({@code ingest-service}, {@code worker-service #1}, ...). */
    public ServiceProcess service(String name) {
        return services().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("No service " + name + " runs in this stack; "
                        + "start() it first"));
    }

    /**
     * Kills the Kafka broker with SIGKILL and starts it again on the same data and ports, waiting until the cluster
     * lists it again (the chaos suite's broker fault, docs/operations.md). The services' clients reconnect on their
     * own. With several nodes ({@code --brokers=3}) this is node 1; {@link #kafka()} kills or restarts any node.
     */
    public void restartBroker() {
        KafkaCluster cluster = kafka();
        cluster.kill(0);
        cluster.restart(0, settings.startupTimeout());
    }

    /**
     * Stops the embedded PostgreSQL server and starts it again on the same data and port (the chaos suite's database
     * fault, docs/operations.md). The services' connection pools replace the broken connections on their own.
     *
     * @throws IllegalStateException when the stack uses an existing server, which is not the stack's to restart
     */
    public void restartPostgres() {
        Postgres started = database();
        if (!started.isEmbedded()) {
            throw new IllegalStateException("The stack uses an existing PostgreSQL at " + started.jdbcUrl()
                    + "; only its own embedded server can be restarted");
        }
        started.close();
        started.start(settings.startupTimeout());
    }

    /** Stops everything that started, newest first. Safe to call twice (the shutdown hook may call it again). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (!stopInReverse.isEmpty()) {
            try {
                stopInReverse.pop().run();
            } catch (RuntimeException e) {
                System.err.println("While stopping the stack: " + e.getMessage());
            }
        }
    }

    private void startKafka() {
        int brokers = settings.brokers();
        KafkaCluster cluster = KafkaCluster.of(settings.kafkaDirs(), settings.kafkaPorts(),
                settings.kafkaControllerPorts(), i -> settings.flightRecordingOptions(
                        brokers == 1 ? "kafka-broker" : "kafka-broker-" + (i + 1)));
        stopInReverse.push(() -> cluster.stop(settings.stopTimeout()));
        System.out.println(brokers == 1 ? "Starting the Kafka broker (data in " + cluster.node(0).home() + ") ..."
                : "Starting a Kafka cluster of " + brokers + " nodes (replication factor 3, min.insync.replicas 2;"
                        + " data in " + settings.dataDir().resolve("kafka-<n>") + ") ...");
        cluster.start(settings.startupTimeout());
        kafka = cluster;
        for (KafkaBroker node : cluster.nodes()) {
            components.add(new StackComponent(brokers == 1 ? "Kafka broker (KRaft)"
                    : "Kafka broker #" + node.nodeId() + " (KRaft)", node.bootstrapServers(), node.pid(),
                    node.logFile().toString()));
        }
    }

    /**
     * The cluster's shape for the topics the services create ({@code cwom.kafka.topics.*}, the same for every
     * service): with one broker nothing, as the broker's default of one replica is all there can be.
     */
    private Map<String, String> topicReplication() {
        if (settings.brokers() == 1) {
            return Map.of();
        }
        KafkaBroker.Membership shape = kafka().node(0).membership();
        return Map.of("cwom.kafka.topics.replication-factor", Integer.toString(shape.replicationFactor()),
                "cwom.kafka.topics.min-insync-replicas", Integer.toString(shape.minInsyncReplicas()));
    }

    /** In this JVM: its store is a compacted Kafka topic, so schema ids survive a restart with the broker's data. */
    private String startRegistry(Credentials credentials) {
        SchemaRegistryServer registry = new SchemaRegistryServer(SchemaRegistryServer.Settings.defaults()
                .withKafka(bootstrapServers())
                .withWriters(credentials.apiTokens())
                .withAddress("127.0.0.1", settings.registryPort()));
        stopInReverse.push(registry::close);
        System.out.println("Starting the schema registry ...");
        registry.start();
        registryUrl = registry.url();
        components.add(new StackComponent("schema registry", registry.url(), ProcessHandle.current().pid(), null));
        return registry.url();
    }

    private Postgres startPostgres() {
        String jdbcUrl = settings.jdbcUrl();
        Postgres postgres = jdbcUrl == null
                ? Postgres.embedded(settings.postgresDir(), settings.postgresPort(),
                        settings.logsDir().resolve("postgres.log"))
                : Postgres.external(jdbcUrl, settings.jdbcUser(), settings.jdbcPassword());
        stopInReverse.push(postgres::close);
        System.out.println(postgres.isEmbedded()
                ? "Starting PostgreSQL (data in " + postgres.dataDirectory() + ") ..."
                : "Using the existing PostgreSQL at " + postgres.jdbcUrl() + " ...");
        postgres.start(settings.startupTimeout());
        this.postgres = postgres;
        Path log = postgres.logFile();
        components.add(new StackComponent(postgres.isEmbedded() ? "PostgreSQL (embedded)" : "PostgreSQL (existing)",
                postgres.jdbcUrl(), -1, log == null ? null : log.toString()));
        return postgres;
    }

    private ServiceProcess service(String name, String mainClass, int port, Map<String, String> properties,
            Map<String, String> environment) {
        String fileName = name.replace(" #", "-");
        List<String> jvmOptions = new ArrayList<>(settings.serviceJvmOptions());
        jvmOptions.addAll(settings.flightRecordingOptions(fileName));
        return new ServiceProcess(name, ServiceJars.of(mainClass), port, properties, environment,
                settings.logsDir().resolve(fileName + ".log"), settings.projectRoot(), jvmOptions);
    }

    /** Starts the group together (they do not depend on each other) and waits until each is healthy. */
    private void startAll(List<ServiceProcess> group) {
        for (ServiceProcess service : group) {
            stopInReverse.push(() -> service.stop(settings.stopTimeout()));
            System.out.println("Starting " + service.name() + " (log in " + service.logFile() + ") ...");
            service.start();
        }
        try {
            CompletableFuture.allOf(group.stream()
                    .map(s -> CompletableFuture.runAsync(() -> s.awaitHealthy(settings.startupTimeout())))
                    .toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        for (ServiceProcess service : group) {
            services.add(service);
            components.add(new StackComponent(service.name(), service.baseUrl(), service.pid(),
                    service.logFile().toString()));
        }
    }

    @SafeVarargs
    private static Map<String, String> merge(Map<String, String>... parts) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (Map<String, String> part : parts) {
            merged.putAll(part);
        }
        return merged;
    }
}
