package dev.cwom.localstack.benchmark;

import dev.cwom.localstack.CommandLineFlags;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a benchmark run does, from {@code --name=value} flags ({@link CommandLineFlags}); the defaults live in
 * {@link #DEFAULTS} only.
 *
 * @param projectRoot     relative folders resolve against it
 * @param dataDir         the benchmark's own stack folder, emptied at the start (never the demo's .local-stack)
 * @param issues          Issues pushed as fast as the client can; also the bare broker's record count
 * @param warmupIssues    Issues run through first and not measured, so the services' JIT has seen the path
 * @param latencyFraction the fraction of the measured maximum rate at which latencies are measured
 * @param latencyIssues   Issues of the latency phase (0 skips it)
 * @param pollInterval    how often the database is asked which Issues are done: the latencies' resolution
 * @param stallTimeout    give up when no Issue got done for this long
 * @param startupTimeout  how long each component of the stack may take to start (a busy two-core machine needs more
 *                        than the demo's default)
 * @param serviceJvmOptions the services' JVM options, separated by spaces (the stack's {@code --service-jvm-options});
 *                        none by default: the benchmark measures the steady state, which wants C2, not the
 *                        C1-only JIT the demo and the tests start with for a quick start-up
 * @param flightRecordings record every JVM of the stack with JDK Flight Recorder into {@code <data-dir>/jfr/}
 */
public record BenchmarkSettings(Path projectRoot, Path dataDir, int issues, int warmupIssues, double latencyFraction,
        int latencyIssues, Duration pollInterval, Duration stallTimeout, Duration startupTimeout,
        String serviceJvmOptions, boolean flightRecordings) {

    /** Every flag with its default. */
    static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("project-root", ".");
        defaults.put("data-dir", ".local-stack-benchmark");
        defaults.put("issues", "1000");
        defaults.put("warmup-issues", "50");
        defaults.put("latency-fraction", "0.5");
        defaults.put("latency-issues", "");
        defaults.put("poll-interval", "PT0.05S");
        defaults.put("stall-timeout", "PT120S");
        defaults.put("startup-timeout", "PT300S");
        defaults.put("service-jvm-options", "");
        defaults.put("jfr", "false");
        return defaults;
    }

    /** Settings from flags such as {@code --issues=500}; {@code --latency-issues} defaults to {@code --issues}. */
    public static BenchmarkSettings parse(String... args) {
        Map<String, String> values = CommandLineFlags.parse(args, DEFAULTS, Set.of("jfr"), usage());
        Path root = Path.of(values.get("project-root")).toAbsolutePath().normalize();
        int issues = positive(values, "issues");
        String latencyIssues = values.get("latency-issues");
        double fraction = number(values, "latency-fraction");
        if (fraction <= 0 || fraction > 1) {
            throw new IllegalArgumentException("--latency-fraction=" + fraction + " must be above 0 and at most 1,"
                    + " e.g. --latency-fraction=0.5");
        }
        return new BenchmarkSettings(root, root.resolve(values.get("data-dir")).normalize(), issues,
                count(values.get("warmup-issues"), "warmup-issues"), fraction,
                latencyIssues.isBlank() ? issues : count(latencyIssues, "latency-issues"),
                duration(values, "poll-interval"), duration(values, "stall-timeout"),
                duration(values, "startup-timeout"), values.get("service-jvm-options"),
                Boolean.parseBoolean(values.get("jfr")));
    }

    /** One line per flag with its default. */
    static String usage() {
        return DEFAULTS.entrySet().stream().map(e -> "  --" + e.getKey() + "=" + (e.getKey().equals("latency-issues")
                ? "<same as --issues>" : e.getValue())).collect(Collectors.joining(System.lineSeparator()));
    }

    private static int positive(Map<String, String> values, String name) {
        int value = count(values.get(name), name);
        if (value < 1) {
            throw new IllegalArgumentException("--" + name + " must be at least 1");
        }
        return value;
    }

    private static int count(String value, String name) {
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= 0) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the flag's name
        }
        throw new IllegalArgumentException("--" + name + "=" + value + " is not a count: use e.g. --" + name + "=500");
    }

    private static double number(Map<String, String> values, String name) {
        try {
            return Double.parseDouble(values.get(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + "=" + values.get(name) + " is not a number", e);
        }
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
