package dev.cwom.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Everything about the local stack a user can change: ports, folders, an existing database, time limits. Each value
 * comes from a command-line flag ({@code --kafka-port=19092} or {@code --kafka-port 19092}, parsed by
 * {@link CommandLineFlags}), else a system property
 * ({@code -Dcwom.localstack.kafka-port=19092}), else the default in {@link Flag}, the one place defaults live.
 *
 * @param projectRoot       the folder relative data folders resolve against
 * @param dataDir           where the broker, PostgreSQL, blobs, traces and logs keep their files between runs
 * @param brokers           Kafka nodes (KRaft, broker and controller combined): 1, or 3 for a replicated cluster
 *                          ({@link KafkaCluster})
 * @param kafkaPorts        each node's client listener, one per node
 * @param kafkaControllerPorts each node's KRaft controller listener, one per node
 * @param postgresPort      the embedded PostgreSQL (unused with {@code jdbcUrl})
 * @param jdbcUrl           an existing PostgreSQL database to use instead of starting one; null to start one
 * @param jdbcUser          user for {@code jdbcUrl}
 * @param jdbcPassword      password for {@code jdbcUrl}
 * @param registryPort      the schema registry
 * @param ingestPort        ingest-service's HTTP port
 * @param artifactPort      artifact-service's HTTP port
 * @param workerPorts       one HTTP port per worker-service instance; their count is the number of workers
 * @param startupTimeout    how long each component may take to become ready
 * @param stopTimeout       how long each component may take to stop before it is killed
 * @param exitAfterDemo     stop everything once the demo has printed its table instead of running until Ctrl-C
 * @param policyFile        the operator's policy ingest starts with; null for the stack's own default, which
 *                          allows the demo's executors and tools and nothing more
 * @param serviceJvmOptions JVM options of every service's JVM (not the broker's), besides the heap
 * @param flightRecordings  record the broker's and every service's JVM with JDK Flight Recorder into
 *                          {@code <data-dir>/jfr/<name>.jfr}, to find where their CPU goes
 * @param logSpans          every service writes each span it ends to its log (all sampled), to follow a trace
 *                          without an OTLP collector
 * @param shareGroup        the workers take work orders through a share group ({@code cwom.worker.pickup.mode=
 *                          share-group}, docs/worker.md) instead of the consumer group
 */
public record LocalStackSettings(
        Path projectRoot,
        Path dataDir,
        int brokers,
        List<Integer> kafkaPorts,
        List<Integer> kafkaControllerPorts,
        int postgresPort,
        @Nullable String jdbcUrl,
        String jdbcUser,
        String jdbcPassword,
        int registryPort,
        int ingestPort,
        int artifactPort,
        List<Integer> workerPorts,
        Duration startupTimeout,
        Duration stopTimeout,
        boolean exitAfterDemo,
        @Nullable Path policyFile,
        List<String> serviceJvmOptions,
        boolean flightRecordings,
        boolean logSpans,
        boolean shareGroup) {

    /** System properties that set a flag start with this. */
    public static final String PROPERTY_PREFIX = "cwom.localstack.";

    /** Every flag with its default and its meaning; the defaults of the whole stack live here only. */
    public enum Flag {
        PROJECT_ROOT("project-root", ".", "the project folder; relative folders resolve against it"),
        DATA_DIR("data-dir", ".local-stack", "folder for the broker's and PostgreSQL's data, blobs, traces and logs"),
        BROKERS("brokers", "1", "Kafka nodes: 1, or 3 for a replicated cluster (replication factor 3, min.insync.replicas"
                + " 2) that keeps working when one node dies"),
        KAFKA_PORT("kafka-port", "9092", "Kafka client port; with --brokers=3 three ports separated by commas, or one"
                + " and the others every second port after it (9092,9094,9096)"),
        KAFKA_CONTROLLER_PORT("kafka-controller-port", "9093", "Kafka KRaft controller port; with --brokers=3 as"
                + " --kafka-port (9093,9095,9097)"),
        POSTGRES_PORT("postgres-port", "5432", "embedded PostgreSQL port"),
        JDBC_URL("jdbc-url", "", "use this existing PostgreSQL database instead of starting one"),
        JDBC_USER("jdbc-user", "postgres", "user for --jdbc-url"),
        JDBC_PASSWORD("jdbc-password", "", "password for --jdbc-url"),
        REGISTRY_PORT("registry-port", "8085", "schema registry port"),
        INGEST_PORT("ingest-port", "8081", "ingest-service HTTP port"),
        ARTIFACT_PORT("artifact-port", "8083", "artifact-service HTTP port"),
        WORKER_PORTS("worker-ports", "8082,8084", "worker-service HTTP ports, one per instance"),
        STARTUP_TIMEOUT("startup-timeout", "PT90S", "how long each component may take to start (ISO-8601)"),
        STOP_TIMEOUT("stop-timeout", "PT20S", "how long each component may take to stop before it is killed"),
        EXIT_AFTER_DEMO("exit-after-demo", "false", "stop everything after the demo instead of running until Ctrl-C;"
                + " true by default where the environment has CI=true"),
        POLICY("policy", "", "the operator's policy file (YAML or JSON, see docs/security.md) ingest starts with;"
                + " default: the stack's own, which allows the demo's executors and tools and nothing more"),
        // C1 only: less JIT work while Spring starts, so a quicker start-up, which the tests and the demo want; a long
        // run (the benchmark) pays for it in CPU per Issue, so it passes its own options.
        SERVICE_JVM_OPTIONS("service-jvm-options", "-XX:TieredStopAtLevel=1", "JVM options of each service,"
                + " separated by spaces (the heap is set apart: -Xms64m -Xmx384m)"),
        JFR("jfr", "false", "record the broker's and each service's JVM with JDK Flight Recorder (settings=profile)"
                + " into <data-dir>/jfr/<name>.jfr, written when it stops"),
        LOG_SPANS("log-spans", "false", "every service logs each span it ends (cwom.tracing.log-spans, sampling 1.0),"
                + " to follow one Issue's trace from submit to stored artifact without a collector"),
        SHARE_GROUP("share-group", "false", "the workers take work orders through a share group (KIP-932,"
                + " cwom.worker.pickup.mode=share-group): more workers than partitions share the load");

        private final String flag;
        private final String defaultValue;
        private final String help;

        Flag(String flag, String defaultValue, String help) {
            this.flag = flag;
            this.defaultValue = defaultValue;
            this.help = help;
        }

        /** The flag's name without dashes, e.g. {@code kafka-port}. */
        public String flag() {
            return flag;
        }

        public String defaultValue() {
            return defaultValue;
        }

        public String help() {
            return help;
        }
    }

    /** The Kafka node counts the stack supports. */
    static final Set<Integer> SUPPORTED_BROKERS = Set.of(1, 3);

    /** Folder of the Kafka broker (server.properties, broker.log, data/); of the first node with several. */
    public Path kafkaDir() {
        return kafkaDirs().getFirst();
    }

    /**
     * One folder per Kafka node: {@code kafka/} for a single broker, {@code kafka-1/} ... {@code kafka-<n>/} for a
     * cluster, so a cluster never starts on a single broker's data (formatted for another cluster and quorum).
     */
    public List<Path> kafkaDirs() {
        return brokers == 1 ? List.of(dataDir.resolve("kafka"))
                : java.util.stream.IntStream.rangeClosed(1, brokers).mapToObj(i -> dataDir.resolve("kafka-" + i))
                        .toList();
    }

    /** The first Kafka node's client port. */
    public int kafkaPort() {
        return kafkaPorts.getFirst();
    }

    /** The first Kafka node's controller port. */
    public int kafkaControllerPort() {
        return kafkaControllerPorts.getFirst();
    }

    /** Folder of the embedded PostgreSQL's data. */
    public Path postgresDir() {
        return dataDir.resolve("postgres");
    }

    /** Root under which workers get a fresh working directory per run. */
    public Path workDir() {
        return dataDir.resolve("work");
    }

    /** Folder of the logs of every child process. */
    public Path logsDir() {
        return dataDir.resolve("logs");
    }

    /** Root of artifact-service's blob store. */
    public Path blobsDir() {
        return dataDir.resolve("blobs");
    }

    /** Root under which workers write trace folders. */
    public Path tracesDir() {
        return dataDir.resolve("traces");
    }

    /** Settings from the defaults only. */
    public static LocalStackSettings defaults() {
        return parse(new String[0], new Properties());
    }

    /**
     * A stack as the demo starts it, but in {@code dataDir} and on ports the OS says are free, so a user's stack in
     * {@code .local-stack/} on the default ports is never touched: the stack benchmark's and the chaos suite's.
     */
    public static LocalStackSettings onFreePorts(Path projectRoot, Path dataDir, Duration startupTimeout,
            String serviceJvmOptions, boolean flightRecordings) {
        return parse(new String[] {
                "--project-root=" + projectRoot, "--data-dir=" + dataDir, "--startup-timeout=" + startupTimeout,
                "--kafka-port=" + Ports.free(), "--kafka-controller-port=" + Ports.free(),
                "--postgres-port=" + Ports.free(), "--registry-port=" + Ports.free(),
                "--ingest-port=" + Ports.free(), "--artifact-port=" + Ports.free(),
                "--worker-ports=" + Ports.free() + "," + Ports.free(),
                "--service-jvm-options=" + serviceJvmOptions, "--jfr=" + flightRecordings}, new Properties());
    }

    /** Settings from {@code args}, then the {@code cwom.localstack.*} entries of {@code systemProperties}, then defaults. */
    public static LocalStackSettings parse(String[] args, Properties systemProperties) {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (Flag flag : Flag.values()) {
            defaults.put(flag.flag, systemProperties.getProperty(PROPERTY_PREFIX + flag.flag, flag.defaultValue));
        }
        Map<String, String> given = CommandLineFlags.parse(args, defaults,
                Set.of(Flag.EXIT_AFTER_DEMO.flag, Flag.LOG_SPANS.flag, Flag.JFR.flag, Flag.SHARE_GROUP.flag), usage());
        Map<Flag, String> values = new EnumMap<>(Flag.class);
        for (Flag flag : Flag.values()) {
            values.put(flag, given.get(flag.flag));
        }
        Path root = Path.of(values.get(Flag.PROJECT_ROOT)).toAbsolutePath().normalize();
        String jdbcUrl = values.get(Flag.JDBC_URL);
        int brokers = brokers(values.get(Flag.BROKERS));
        return new LocalStackSettings(
                root,
                root.resolve(values.get(Flag.DATA_DIR)).normalize(),
                brokers,
                nodePorts(values, Flag.KAFKA_PORT, brokers),
                nodePorts(values, Flag.KAFKA_CONTROLLER_PORT, brokers),
                port(values, Flag.POSTGRES_PORT),
                jdbcUrl.isBlank() ? null : jdbcUrl,
                values.get(Flag.JDBC_USER),
                values.get(Flag.JDBC_PASSWORD),
                port(values, Flag.REGISTRY_PORT),
                port(values, Flag.INGEST_PORT),
                port(values, Flag.ARTIFACT_PORT),
                Arrays.stream(values.get(Flag.WORKER_PORTS).split(","))
                        .map(String::trim).map(p -> parsePort(Flag.WORKER_PORTS, p)).toList(),
                duration(values, Flag.STARTUP_TIMEOUT),
                duration(values, Flag.STOP_TIMEOUT),
                Boolean.parseBoolean(values.get(Flag.EXIT_AFTER_DEMO)),
                policyFile(root, values.get(Flag.POLICY)),
                Arrays.stream(values.get(Flag.SERVICE_JVM_OPTIONS).trim().split("\\s+"))
                        .filter(option -> !option.isEmpty()).toList(),
                Boolean.parseBoolean(values.get(Flag.JFR)),
                Boolean.parseBoolean(values.get(Flag.LOG_SPANS)),
                Boolean.parseBoolean(values.get(Flag.SHARE_GROUP)));

    }

    /** Folder of the flight recordings ({@link #flightRecordings()}). */
    public Path jfrDir() {
        return dataDir.resolve("jfr");
    }

    /**
     * The option that records the JVM {@code name} with JDK Flight Recorder when {@link #flightRecordings()} is on
     * (the file is written when the JVM exits, also on SIGTERM), else none.
     */
    public List<String> flightRecordingOptions(String name) {
        if (!flightRecordings) {
            return List.of();
        }
        return List.of("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                + jfrDir().resolve(name + ".jfr"));
    }

    /** One line per flag with its default, for --help and error messages. */
    public static String usage() {
        return Arrays.stream(Flag.values())
                .map(f -> String.format("  --%-22s %s (default: %s)", f.flag, f.help,
                        f.defaultValue.isEmpty() ? "none" : f.defaultValue))
                .collect(Collectors.joining(System.lineSeparator()));
    }

    private static @Nullable Path policyFile(Path root, String value) {
        if (value.isBlank()) {
            return null;
        }
        Path file = root.resolve(value).normalize();
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--" + Flag.POLICY.flag + "=" + value + ": no such file (" + file
                    + "); give the path of a policy file, e.g. --policy=docs/examples/policy.yaml");
        }
        return file;
    }

    private static int brokers(String value) {
        try {
            int brokers = Integer.parseInt(value.trim());
            if (SUPPORTED_BROKERS.contains(brokers)) {
                return brokers;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("--" + Flag.BROKERS.flag + "=" + value + " is not supported: use"
                + " --brokers=1 (one broker) or --brokers=3 (a replicated cluster)");
    }

    /**
     * One port per node: as many as given, or the one given and the others every second port after it, so that the
     * default client ports (9092, 9094, ...) and controller ports (9093, 9095, ...) interleave without clashing.
     */
    private static List<Integer> nodePorts(Map<Flag, String> values, Flag flag, int nodes) {
        List<Integer> given = Arrays.stream(values.get(flag).split(",")).map(String::trim)
                .map(p -> parsePort(flag, p)).toList();
        if (given.size() == nodes) {
            return given;
        }
        if (given.size() == 1) {
            return java.util.stream.IntStream.range(0, nodes).mapToObj(i -> given.getFirst() + 2 * i)
                    .map(p -> parsePort(flag, Integer.toString(p))).toList();
        }
        throw new IllegalArgumentException("--" + flag.flag + "=" + values.get(flag) + " names " + given.size()
                + " ports for " + nodes + " Kafka node(s): give one port, or one per node (--brokers=" + nodes + ")");
    }

    private static int port(Map<Flag, String> values, Flag flag) {
        return parsePort(flag, values.get(flag));
    }

    private static int parsePort(Flag flag, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the flag's name
        }
        throw new IllegalArgumentException("--" + flag.flag + "=" + value + " is not a port: use a number from 1 to"
                + " 65535, e.g. --" + flag.flag + "=" + flag.defaultValue);
    }

    private static Duration duration(Map<Flag, String> values, Flag flag) {
        try {
            return Duration.parse(values.get(flag));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--" + flag.flag + "=" + values.get(flag) + " is not an ISO-8601"
                    + " duration: use e.g. --" + flag.flag + "=" + flag.defaultValue, e);
        }
    }
}
