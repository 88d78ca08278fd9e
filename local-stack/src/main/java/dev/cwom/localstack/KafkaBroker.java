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
 * A real Apache Kafka broker in KRaft mode (one node, broker and controller combined), run from the {@code kafka_2.13}
 * jars on this JVM's classpath as a child JVM: {@code java -cp <classpath> kafka.Kafka server.properties}.
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
    private final List<String> jvmOptions;
    private @Nullable ChildProcess process;

    /**
     * @param home           the broker's folder (created if missing)
     * @param port           the client listener on 127.0.0.1
     * @param controllerPort the KRaft controller listener on 127.0.0.1
     */
    public KafkaBroker(Path home, int port, int controllerPort) {
        this(home, port, controllerPort, List.of());
    }

    /** @param jvmOptions further options of the broker's JVM, e.g. a flight recording */
    public KafkaBroker(Path home, int port, int controllerPort, List<String> jvmOptions) {
        this.home = home.toAbsolutePath();
        this.port = port;
        this.controllerPort = controllerPort;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** Formats the storage if it is new, starts the broker and waits until it answers a describeCluster. */
    public void start(Duration timeout) {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("The Kafka broker in " + home + " is already running (pid "
                    + process.pid() + ")");
        }
        Instant deadline = Instant.now().plus(timeout);
        writeConfiguration();
        if (!isFormatted()) {
            format(timeout);
        }
        List<String> command = javaCommand("kafka.Kafka", serverProperties().toString());
        command.addAll(1, jvmOptions);
        process = ChildProcess.start("Kafka broker", command, Map.of(), logFile(), home);
        awaitReady(process, deadline);
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

    /** SIGKILL, as a crash would end it (the chaos suite's broker fault); {@link #start} starts it on the same data. */
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
        String clusterId = Uuid.randomUuid().toString();
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
        String listeners = "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort;
        String properties = String.join("\n",
                "# Written by dev.cwom.localstack.KafkaBroker on every start; edits are overwritten.",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=" + listeners,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + dataDirectory(),
                "num.partitions=3",
                // One node: every internal topic can only have one replica.
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "");
        String logback = """
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
        try {
            Files.createDirectories(dataDirectory());
            Files.writeString(serverProperties(), properties, StandardCharsets.UTF_8);
            Files.writeString(home.resolve("logback.xml"), logback, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the Kafka broker's configuration to " + home, e);
        }
    }
}
