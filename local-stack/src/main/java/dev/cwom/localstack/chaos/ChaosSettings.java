package dev.cwom.localstack.chaos;

import dev.cwom.localstack.CommandLineFlags;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * What a chaos run does, from {@code --name=value} flags ({@link CommandLineFlags}); the defaults live in
 * {@link #DEFAULTS} only.
 *
 * @param projectRoot      relative folders resolve against it
 * @param dataDir          the suite's own stack folder, emptied at the start (never the demo's .local-stack)
 * @param issues           Issues sent while the faults are injected (Kafka and REST)
 * @param probeIssues      Issues sent after the last fault recovered, which must get done too: the pipeline works
 *                         after the faults, not only between them
 * @param kills            SIGKILLs of a random service (ingest, artifact-service, a worker), each restarted
 * @param brokerFaults     broker faults: with one broker it is killed and restarted
 * @param postgresRestarts restarts of PostgreSQL
 * @param brokers          brokers of the stack; only 1 until the local stack's replicated cluster option exists
 * @param seed             the seed of every random choice (which service, when, how long down, which Issue is what):
 *                         the same seed gives the same plan
 * @param rate             Issues sent per second
 * @param restFraction     the share of Issues created through {@code POST /cwom/issues} rather than Kafka
 * @param shellFraction    the share of Kafka Issues that run a short shell command instead of noop
 * @param maxDowntime      a killed service stays down a random time up to this before it is started again
 * @param quietTimeout     after the last send and fault, give up waiting when no Issue got done for this long
 * @param startupTimeout   how long each component may take to start (and to start again)
 * @param serviceJvmOptions the services' JVM options, separated by spaces
 */
public record ChaosSettings(Path projectRoot, Path dataDir, int issues, int probeIssues, int kills, int brokerFaults,
        int postgresRestarts, int brokers, long seed, double rate, double restFraction, double shellFraction,
        Duration maxDowntime, Duration quietTimeout, Duration startupTimeout, String serviceJvmOptions) {

    /** Every flag with its default. */
    static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("project-root", ".");
        defaults.put("data-dir", ".local-stack-chaos");
        defaults.put("issues", "1000");
        defaults.put("probe-issues", "20");
        defaults.put("kills", "10");
        defaults.put("broker-faults", "1");
        defaults.put("postgres-restarts", "1");
        defaults.put("brokers", "1");
        defaults.put("seed", "");
        defaults.put("rate", "20");
        defaults.put("rest-fraction", "0.1");
        defaults.put("shell-fraction", "0.1");
        defaults.put("max-downtime", "PT5S");
        defaults.put("quiet-timeout", "PT300S");
        defaults.put("startup-timeout", "PT300S");
        // C1 only: a killed service is back sooner, which is what a run of many kills waits on most
        defaults.put("service-jvm-options", "-XX:TieredStopAtLevel=1");
        return defaults;
    }

    /** Settings from flags such as {@code --issues=500 --kills=8}; without {@code --seed} a random one. */
    public static ChaosSettings parse(String... args) {
        Map<String, String> values = CommandLineFlags.parse(args, DEFAULTS, Set.of(), usage());
        Path root = Path.of(values.get("project-root")).toAbsolutePath().normalize();
        int brokers = count(values, "brokers");
        if (brokers != 1) {
            throw new IllegalArgumentException("--brokers=" + brokers + ": the local stack runs one broker so far;"
                    + " a fault of one of three brokers needs its replicated cluster option (issue 21, item 1)");
        }
        String seed = values.get("seed");
        double rate = fraction(values, "rate", Double.MAX_VALUE);
        if (rate <= 0) {
            throw new IllegalArgumentException("--rate must be above 0 Issues per second, e.g. --rate=20");
        }
        return new ChaosSettings(root, root.resolve(values.get("data-dir")).normalize(), positive(values, "issues"),
                count(values, "probe-issues"), count(values, "kills"), count(values, "broker-faults"), count(values, "postgres-restarts"), brokers,
                seed.isBlank() ? ThreadLocalRandom.current().nextLong(1, 1_000_000) : number(seed, "seed"), rate,
                fraction(values, "rest-fraction", 1), fraction(values, "shell-fraction", 1),
                duration(values, "max-downtime"), duration(values, "quiet-timeout"),
                duration(values, "startup-timeout"), values.get("service-jvm-options"));
    }

    /** The flags as given to reproduce this run (the seed included). */
    String commandLine() {
        return "--issues=" + issues + " --probe-issues=" + probeIssues + " --kills=" + kills + " --broker-faults=" + brokerFaults
                + " --postgres-restarts=" + postgresRestarts + " --brokers=" + brokers + " --seed=" + seed
                + " --rate=" + rate + " --rest-fraction=" + restFraction + " --shell-fraction=" + shellFraction
                + " --max-downtime=" + maxDowntime;
    }

    /** How long the sending takes at {@link #rate}: the faults are spread over it. */
    Duration sendingTime() {
        return Duration.ofMillis(Math.round(issues / rate * 1000));
    }

    /** One line per flag with its default. */
    static String usage() {
        return DEFAULTS.entrySet().stream().map(e -> "  --" + e.getKey() + "=" + (e.getKey().equals("seed")
                ? "<random>" : e.getValue())).collect(Collectors.joining(System.lineSeparator()));
    }

    private static int positive(Map<String, String> values, String name) {
        int value = count(values, name);
        if (value < 1) {
            throw new IllegalArgumentException("--" + name + " must be at least 1");
        }
        return value;
    }

    private static int count(Map<String, String> values, String name) {
        long value = number(values.get(name), name);
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--" + name + "=" + value + " is not a count: use e.g. --" + name
                    + "=10");
        }
        return (int) value;
    }

    private static long number(String value, String name) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + "=" + value + " is not a whole number", e);
        }
    }

    private static double fraction(Map<String, String> values, String name, double max) {
        double value;
        try {
            value = Double.parseDouble(values.get(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + "=" + values.get(name) + " is not a number", e);
        }
        if (value < 0 || value > max) {
            throw new IllegalArgumentException("--" + name + "=" + value + " must be between 0 and " + max);
        }
        return value;
    }

    private static Duration duration(Map<String, String> values, String name) {
        try {
            return Duration.parse(values.get(name));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--" + name + "=" + values.get(name) + " is not an ISO-8601 duration:"
                    + " use e.g. --" + name + "=" + DEFAULTS.get(name), e);
        }
    }
}
