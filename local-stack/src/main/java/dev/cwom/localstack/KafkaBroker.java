package dev.cwom.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.jspecify.annotations.Nullable;

/**
 * A real Apache Kafka node in KRaft mode (broker and controller combined), run from the {@code kafka_2.13} jars on this
 * JVM's classpath as a child JVM: {@code java -cp <classpath> kafka.Kafka server.properties}. Alone it is a cluster of
 * one; {@link KafkaCluster} runs several as one cluster, each voting in the controller quorum ({@link Membership}).
 *
 * <p>Everything lives in {@code home}: {@code server.properties}, {@code logback.xml}, the broker's log
 * {@code broker.log} and the log directory {@code data/}. The storage is formatted once (when {@code data/} has no
 * {@code meta.properties}) and reused by every later start, so records survive a restart.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final String LOG_FILE = "broker.log";

    private final Path home;
    private final int port;
    private final int controllerPort;
    private final Membership membership;
    private final List<String> jvmOptions;
    private @Nullable ChildProcess process;

    /**
     * This node's place in its cluster.
     *
     * @param nodeId            its {@code node.id}, unique in the cluster
     * @param clusterId         the cluster's id its storage is formatted with (the same on every node); null for a
     *                          fresh random one (a cluster of one)
     * @param quorumVoters      {@code controller.quorum.voters}: {@code id@host:controllerPort} of every controller
     * @param replicationFactor replicas of each partition, of the internal topics' and (as the broker's default) of
     *                          every topic created without its own; at most the number of nodes
     */
    public record Membership(int nodeId, @Nullable String clusterId, String quorumVoters, int replicationFactor) {

        /** A cluster of one: node 1, its own voter, one replica of everything. */
        public static Membership alone(int controllerPort) {
            return new Membership(1, null, "1@127.0.0.1:" + controllerPort, 1);
        }

        /**
         * In-sync replicas a write with {@code acks=all} needs: all but one, so that one node may be down (killed,
         * restarted, upgraded) without stopping writes, and an acknowledged record is on at least two nodes.
         */
        public int minInsyncReplicas() {
            return Math.max(1, replicationFactor - 1);
        }
    }

    /**
     * @param home           the broker's folder (created if missing)
     * @param port           the client listener on 127.0.0.1
     * @param controllerPort the KRaft controller listener on 127.0.0.1
     */
    public KafkaBroker(Path home, int port, int controllerPort) {
        this(home, port, controllerPort, Membership.alone(controllerPort), List.of());
    }

    /**
     * @param membership its place in its cluster ({@link Membership#alone(int)} for a cluster of one)
     * @param jvmOptions further options of the broker's JVM, e.g. a flight recording
     */
    public KafkaBroker(Path home, int port, int controllerPort, Membership membership, List<String> jvmOptions) {
        this.home = home.toAbsolutePath();
        this.port = port;
        this.controllerPort = controllerPort;
        this.membership = membership;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** Formats the storage if it is new, starts the broker and waits until it answers a describeCluster. */
    public void start(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        launch(timeout);
        awaitReady(deadline);
    }

    /**
     * Formats the storage if it is new and starts the broker's JVM without waiting for it: the nodes of a cluster
     * start together, since none answers before a quorum of controllers has elected a leader.
     */
    void launch(Duration formatTimeout) {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("The Kafka broker in " + home + " is already running (pid "
                    + process.pid() + ")");
        }
        writeConfiguration();
        if (!isFormatted()) {
            format(formatTimeout);
        }
        List<String> command = javaCommand("kafka.Kafka", serverProperties().toString());
        command.addAll(1, jvmOptions);
        process = ChildProcess.start("Kafka broker " + membership.nodeId(), command, Map.of(), logFile(), home);
    }

    /** Waits until the launched broker answers a describeCluster; stops it and says why when it cannot. */
    void awaitReady(Instant deadline) {
        ChildProcess launched = process;
        if (launched == null) {
            throw new IllegalStateException("The Kafka broker in " + home + " was not started");
        }
        awaitReady(launched, deadline);
    }

    /** Its place in its cluster. */
    public Membership membership() {
        return membership;
    }

    /** The broker's {@code node.id}. */
    public int nodeId() {
        return membership.nodeId();
    }

    /** The cluster id its storage was formatted with, from {@code meta.properties}; null before the first start. */
    public @Nullable String formattedClusterId() {
        Path meta = dataDirectory().resolve("meta.properties");
        if (!Files.exists(meta)) {
            return null;
        }
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + meta, e);
        }
        return properties.getProperty("cluster.id");
    }

    /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The broker's folder. */
    public Path home() {
        return home;
    }

    /** The broker's own log. */
    public Path logFile() {
        return home.resolve(LOG_FILE);
    }

    /** The process id of the running broker, or -1. */
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    /** Whether the broker process is running. */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the broker (SIGTERM, a controlled shutdown, then a kill after {@code grace}). */
    public void stop(Duration grace) {
        if (process != null) {
            process.stop(grace);
        }
    }

    /**
     * SIGKILL, as a crash or a power cut would end it: no controlled shutdown, leadership moves only when the
     * controllers notice the missing heartbeats (the chaos suite's broker fault, {@link KafkaCluster#kill(int)}).
     * {@link #start(Duration)} starts it again on the same data.
     */
    public void kill() {
        if (process != null) {
            process.kill();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }

    private boolean isFormatted() {
        return Files.exists(dataDirectory().resolve("meta.properties"));
    }

    private void format(Duration timeout) {
        String clusterId = membership.clusterId() == null ? Uuid.randomUuid().toString() : membership.clusterId();
        ChildProcess formatter = ChildProcess.start("Kafka storage format",
                javaCommand("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", serverProperties().toString()),
                Map.of(), logFile(), home);
        int exit = formatter.awaitExit(timeout);
        if (exit != 0) {
            formatter.stop(Duration.ofSeconds(5));
            throw new IllegalStateException("Formatting the Kafka storage in " + dataDirectory() + " failed (exit "
                    + exit + "). Last lines of " + logFile() + ":" + System.lineSeparator() + formatter.logTail(30));
        }
    }

    private void awaitReady(ChildProcess broker, Instant deadline) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000);
        config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
        try (Admin admin = Admin.create(config)) {
            while (true) {
                if (!broker.isAlive()) {
                    throw new IllegalStateException("The Kafka broker exited during start-up. Last lines of "
                            + logFile() + ":" + System.lineSeparator() + broker.logTail(40));
                }
                try {
                    admin.describeCluster().clusterId().get(2, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | TimeoutException notYet) {
                    if (Instant.now().isAfter(deadline)) {
                        broker.stop(Duration.ofSeconds(10));
                        throw new IllegalStateException("The Kafka broker did not accept connections on "
                                + bootstrapServers() + " in time. Last lines of " + logFile() + ":"
                                + System.lineSeparator() + broker.logTail(40));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
                }
            }
        }
    }

    private List<String> javaCommand(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(ChildProcess.javaExecutable(),
                "-Xms128m", "-Xmx512m",
                "-Djava.awt.headless=true",
                "-Dlogback.configurationFile=" + home.resolve("logback.xml"),
                "-cp", System.getProperty("java.class.path"),
                mainClass));
        command.addAll(List.of(args));
        return command;
    }

    private Path dataDirectory() {
        return home.resolve("data");
    }

    private Path serverProperties() {
        return home.resolve("server.properties");
    }

    /** Rewritten on every start, so changed ports apply to existing data. */
    private void writeConfiguration() {
        try {
            Files.createDirectories(dataDirectory());
            Files.writeString(serverProperties(), serverPropertiesText(), StandardCharsets.UTF_8);
            Files.writeString(home.resolve("logback.xml"), logbackText(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the Kafka broker's configuration to " + home, e);
        }
    }

    /** The broker's {@code server.properties}, as {@link #start(Duration)} writes it. */
    String serverPropertiesText() {
        String listeners = "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort;
        String replicas = Integer.toString(membership.replicationFactor());
        String minInsync = Integer.toString(membership.minInsyncReplicas());
        return String.join("\n",
                "# Written by dev.cwom.localstack.KafkaBroker on every start; edits are overwritten.",
                "process.roles=broker,controller",
                "node.id=" + membership.nodeId(),
                "controller.quorum.voters=" + membership.quorumVoters(),
                "listeners=" + listeners,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + dataDirectory(),
                "num.partitions=3",
                // Topics created without a replication factor of their own (the services' by default) and every
                // internal topic get the cluster's: with 3 nodes, 3 replicas, and acks=all needs 2 of them in sync.
                "default.replication.factor=" + replicas,
                "min.insync.replicas=" + minInsync,
                "offsets.topic.replication.factor=" + replicas,
                "transaction.state.log.replication.factor=" + replicas,
                "transaction.state.log.min.isr=" + minInsync,
                "share.coordinator.state.topic.replication.factor=" + replicas,
                "share.coordinator.state.topic.min.isr=" + minInsync,
                "group.initial.rebalance.delay.ms=0",
                "");
    }

    private String logbackText() {
        return """
                <configuration>
                  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                    <file>%s</file>
                    <encoder>
                      <pattern>%%d{ISO8601} %%-5level [%%thread] %%logger{36} - %%msg%%n</pattern>
                    </encoder>
                  </appender>
                  <logger name="kafka.request.logger" level="WARN"/>
                  <logger name="org.apache.kafka.clients" level="WARN"/>
                  <root level="INFO">
                    <appender-ref ref="FILE"/>
                  </root>
                </configuration>
                """.formatted(logFile());
    }
}
