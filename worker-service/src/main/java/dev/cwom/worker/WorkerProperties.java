package dev.cwom.worker;

import dev.cwom.model.IssueType;
import dev.cwom.policy.ExecutorChoice;
import dev.cwom.policy.PolicyLimits;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the worker ({@code cwom.worker.*}). Every default lives in the compact constructors below, so that a
 * record built in a test with {@code null}s behaves exactly like an unconfigured service.
 *
 * @param workerId this instance's id in run events and trace manifests; default: host name and process id
 * @param traceRoot folder under which each run gets its trace folder {@code <trace-root>/<run_id>/}; default
 *     {@code data/traces}; made absolute (against the working directory at start-up) and normalized
 * @param workRoot folder under which each run gets a fresh, empty working directory {@code <work-root>/<run_id>/};
 *     default {@code data/work}; made absolute and normalized, so that {@code HOME}, {@code TMPDIR} and
 *     {@code CWOM_OUTPUT_DIR} given to commands are absolute paths
 * @param heartbeatInterval how often a running run publishes {@code RunHeartbeat}; default 10 s
 * @param shutdownGrace how long shutdown waits for a running run to finish before it is recorded as failed
 *     ({@code runtime}, "worker shut down"); default 30 s
 * @param executors how executors are chosen and what they get when a ConstraintSnapshot says nothing
 * @param shell limits of the {@code shell} executor
 * @param http settings of the {@code http} executor
 * @param blobs where output bodies and trace bundles are uploaded
 * @param pickup how work orders are taken from Kafka and run events are written back
 * @param ceiling this worker's own limits, which no operator policy can exceed
 * @param disk what the worker keeps on its disk (quarantine) and how much free space it needs to take work
 */
@ConfigurationProperties("cwom.worker")
public record WorkerProperties(
        @Nullable String workerId,
        @Nullable Path traceRoot,
        @Nullable Path workRoot,
        @Nullable Duration heartbeatInterval,
        @Nullable Duration shutdownGrace,
        @DefaultValue Executors executors,
        @DefaultValue Shell shell,
        @DefaultValue Http http,
        @DefaultValue Blobs blobs,
        @DefaultValue PickupSettings pickup,
        @DefaultValue Ceiling ceiling,
        @DefaultValue DiskSettings disk) {

    @ConstructorBinding
    public WorkerProperties {
        workerId = workerId != null && !workerId.isBlank() ? workerId : defaultWorkerId();
        // Absolute once, here: a relative root would mean something else to a command running in its work folder.
        traceRoot = or(traceRoot, Path.of("data/traces")).toAbsolutePath().normalize();
        workRoot = or(workRoot, Path.of("data/work")).toAbsolutePath().normalize();
        heartbeatInterval = or(heartbeatInterval, Duration.ofSeconds(10));
        shutdownGrace = or(shutdownGrace, Duration.ofSeconds(30));
        executors = or(executors, new Executors(null, null));
        shell = or(shell, Shell.defaults());
        http = or(http, new Http(null, null, null, null, null));
        blobs = or(blobs, new Blobs(null, null, null, null, null, null, null));
        pickup = or(pickup, new PickupSettings(null, null, null, null, null, null, null, null, null, null));
        ceiling = or(ceiling, new Ceiling(null, null, null, null, null, null, null, null));
        disk = or(disk, new DiskSettings(null, null, null, null, null, null));
    }

    /** Settings with the disk settings at their defaults (the constructor from before they existed). */
    public WorkerProperties(@Nullable String workerId, @Nullable Path traceRoot, @Nullable Path workRoot,
            @Nullable Duration heartbeatInterval, @Nullable Duration shutdownGrace, @Nullable Executors executors,
            @Nullable Shell shell, @Nullable Http http, @Nullable Blobs blobs, @Nullable PickupSettings pickup,
            @Nullable Ceiling ceiling) {
        this(workerId, traceRoot, workRoot, heartbeatInterval, shutdownGrace, executors, shell, http, blobs, pickup,
                ceiling, null);
    }

    /** The same settings with {@code disk} instead of these disk settings. */
    public WorkerProperties withDisk(DiskSettings disk) {
        return new WorkerProperties(workerId, traceRoot, workRoot, heartbeatInterval, shutdownGrace, executors, shell,
                http, blobs, pickup, ceiling, disk);
    }

    /** All defaults; what an unconfigured service runs with. */
    public static WorkerProperties defaults() {
        return new WorkerProperties(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * How an executor is chosen: the Issue's meta key {@code executor} wins; otherwise {@code by-type}.
     *
     * @param byType executor name per issue type, merged over the defaults feature, bug, ops, incident ->
     *     {@code shell} and research, doc, chore -> {@code noop}
     * @param defaultTimeBudget the time budget of a run whose ConstraintSnapshot gives no
     *     {@code time.available_minutes}; default 15 min (the task bridge's default of 900 s)
     */
    public record Executors(@Nullable Map<IssueType, String> byType, @Nullable Duration defaultTimeBudget) {

        public Executors {
            Map<IssueType, String> merged = new EnumMap<>(IssueType.class);
            merged.putAll(ExecutorChoice.DEFAULT_BY_TYPE);
            if (byType != null) {
                merged.putAll(byType);
            }
            byType = Map.copyOf(merged);
            defaultTimeBudget = or(defaultTimeBudget, Duration.ofMinutes(15));
        }
    }

    /**
     * Limits of the {@code shell} executor. Commands run without a shell, as argv lists, each in a bubblewrap sandbox
     * of its own (see docs/executors.md) with only {@code PATH}, {@code HOME}, {@code LANG}, {@code TMPDIR} and
     * {@code CWOM_*} set.
     *
     * @param path the {@code PATH} commands see, and where tools are looked up; default
     *     {@code /usr/local/bin:/usr/bin:/bin}; entries outside {@code /usr} are bound read-only into the sandbox
     * @param lang the {@code LANG} commands see; default {@code C.UTF-8}
     * @param outputDir folder, relative to the working directory, whose files become artifacts unless a
     *     ContextPacket names another in its meta {@code output_dir}; default {@code out}
     * @param defaultAllowedTools the allow-list used when neither the ConstraintSnapshot's {@code tools.allowed}
     *     nor the Repo's {@code policy.allowed_tools} lists any tool; default empty, so nothing runs unless a
     *     tool is allowed somewhere
     * @param blockedTools tools refused whatever the constraints say; default {@code sudo, su, doas}
     * @param killWait how long to wait for a killed process tree to be gone before reporting; default 5 s
     * @param isolation {@code SANDBOX} (default): every command in a bubblewrap sandbox, a run refused
     *     ({@code policy}) when none can be made; {@code NONE}: commands run as the worker's own user, unsandboxed
     *     (development only; warned at start-up and shown in health)
     * @param bwrapPath the bubblewrap executable; default {@code /usr/bin/bwrap} (Debian package {@code bubblewrap})
     * @param sandboxUid when the worker runs as root, the host uid (and gid) its sandboxes run as, so that files they
     *     write are not root's and the process limit applies (the kernel exempts root from it); default 65534
     *     ({@code nobody}); inside the sandbox a command is always uid 65534
     * @param readOnlyPaths further host folders bound read-only into the sandbox at the same path (e.g. a JDK under
     *     {@code /opt}); default none ({@code /usr}, the {@code /etc} essentials and the {@code PATH} folders are)
     * @param tmpBytes size of the sandbox's private {@code /tmp} (a tmpfs, so it counts as memory); default 256 MiB
     * @param maxProcesses most processes (and threads) a sandbox may have at once (RLIMIT_NPROC, stops a fork bomb);
     *     default 256
     * @param maxOpenFiles most open files per process (RLIMIT_NOFILE); default 1024
     * @param maxAddressSpaceBytes most virtual memory per process (RLIMIT_AS); default 8 GiB (JVMs reserve much more
     *     than they use); 0 = no limit
     * @param maxCpuTime most CPU time per process (RLIMIT_CPU); default the run's time budget times the number of
     *     CPUs, so that only the budget's wall clock stops a busy multi-threaded build
     * @param maxLogBytes most bytes the commands of one run may write to {@code trace.log} (stdout and stderr
     *     together); past it the log is truncated, the running command killed and the run fails ({@code policy});
     *     default 10 MiB
     * @param maxOutputFileBytes the largest single file a command may write (RLIMIT_FSIZE, the process gets
     *     SIGXFSZ past it) and the largest output file collected; default 100 MiB
     * @param maxOutputBytes the largest total of a run's collected output files; the operator policy's and the
     *     ceiling's {@code max_output_bytes} lower it per run; default 500 MiB
     */
    public record Shell(@Nullable String path, @Nullable String lang, @Nullable String outputDir,
            @Nullable List<String> defaultAllowedTools, @Nullable List<String> blockedTools,
            @Nullable Duration killWait, @Nullable Isolation isolation, @Nullable Path bwrapPath,
            @Nullable Integer sandboxUid, @Nullable List<Path> readOnlyPaths, @Nullable Long tmpBytes,
            @Nullable Integer maxProcesses, @Nullable Integer maxOpenFiles, @Nullable Long maxAddressSpaceBytes,
            @Nullable Duration maxCpuTime, @Nullable Long maxLogBytes, @Nullable Long maxOutputFileBytes,
            @Nullable Long maxOutputBytes) {

        private static final long MIB = 1024L * 1024;

        public Shell {
            path = or(path, "/usr/local/bin:/usr/bin:/bin");
            lang = or(lang, "C.UTF-8");
            outputDir = or(outputDir, "out");
            defaultAllowedTools = List.copyOf(or(defaultAllowedTools, List.of()));
            blockedTools = List.copyOf(or(blockedTools, List.of("sudo", "su", "doas")));
            killWait = or(killWait, Duration.ofSeconds(5));
            isolation = or(isolation, Isolation.SANDBOX);
            bwrapPath = or(bwrapPath, Path.of("/usr/bin/bwrap"));
            sandboxUid = or(sandboxUid, 65534);
            readOnlyPaths = List.copyOf(or(readOnlyPaths, List.of()));
            tmpBytes = positive("tmp-bytes", or(tmpBytes, 256 * MIB));
            maxProcesses = (int) positive("max-processes", or(maxProcesses, 256));
            maxOpenFiles = (int) positive("max-open-files", or(maxOpenFiles, 1024));
            maxAddressSpaceBytes = or(maxAddressSpaceBytes, 8 * 1024 * MIB);
            maxLogBytes = positive("max-log-bytes", or(maxLogBytes, 10 * MIB));
            maxOutputFileBytes = positive("max-output-file-bytes", or(maxOutputFileBytes, 100 * MIB));
            maxOutputBytes = positive("max-output-bytes", or(maxOutputBytes, 500 * MIB));
        }

        /** All defaults. */
        public static Shell defaults() {
            return new Shell(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, null, null);
        }

        /** These settings with another isolation; for tests and the start-up report. */
        public Shell withIsolation(Isolation other, Path bwrap) {
            return new Shell(path, lang, outputDir, defaultAllowedTools, blockedTools, killWait, other, bwrap,
                    sandboxUid, readOnlyPaths, tmpBytes, maxProcesses, maxOpenFiles, maxAddressSpaceBytes,
                    maxCpuTime, maxLogBytes, maxOutputFileBytes, maxOutputBytes);
        }

        private static long positive(String key, long value) {
            if (value < 1) {
                throw new IllegalArgumentException("cwom.worker.shell." + key + " is " + value
                        + "; it must be at least 1");
            }
            return value;
        }
    }

    /** How the {@code shell} executor isolates commands from the worker and its host. */
    public enum Isolation {
        /** Each command in a bubblewrap sandbox; a run is refused ({@code policy}) when none can be made. */
        SANDBOX,
        /** No sandbox: commands run as the worker's user, see its files and its network. Development only. */
        NONE
    }

    /**
     * Settings of the {@code http} executor. Which hosts it may call is not set here: the operator policy's
     * {@code network.hosts} and this worker's {@code ceiling.hosts} decide (see docs/executors.md).
     *
     * @param webhookUrl the agent webhook used when the Issue's meta has no {@code webhook_url}; default none
     * @param allowedUrlPrefixes no longer supported: a worker with this set refuses to start, naming
     *     {@code cwom.worker.ceiling.hosts}, rather than run without the restriction its operator expects
     * @param connectTimeout how long connecting to the webhook may take (within the run's time budget); default 5 s
     * @param maxAnswerSize the largest answer body read from an agent; reading stops there and the run fails;
     *     default 1 MiB
     * @param maxRedirects how many redirects are followed, each to a host checked like the webhook's; default 3
     */
    public record Http(@Nullable URI webhookUrl, @Nullable List<String> allowedUrlPrefixes,
            @Nullable Duration connectTimeout, @Nullable DataSize maxAnswerSize, @Nullable Integer maxRedirects) {

        public Http {
            allowedUrlPrefixes = List.copyOf(or(allowedUrlPrefixes, List.of()));
            if (!allowedUrlPrefixes.isEmpty()) {
                throw new IllegalArgumentException("cwom.worker.http.allowed-url-prefixes " + allowedUrlPrefixes
                        + " is no longer supported (a prefix check let any host through that shares the prefix);"
                        + " list the agents' hosts in cwom.worker.ceiling.hosts and the operator policy's"
                        + " network.hosts instead, and remove allowed-url-prefixes");
            }
            connectTimeout = or(connectTimeout, Duration.ofSeconds(5));
            maxAnswerSize = or(maxAnswerSize, DataSize.ofMegabytes(1));
            if (maxAnswerSize.toBytes() < 1 || maxAnswerSize.toBytes() > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("cwom.worker.http.max-answer-size is " + maxAnswerSize
                        + "; give a size from 1B to 2GB (the answer is held in memory up to it)");
            }
            maxRedirects = or(maxRedirects, 3);
            if (maxRedirects < 0) {
                throw new IllegalArgumentException("cwom.worker.http.max-redirects is " + maxRedirects
                        + "; use 0 to follow none, or a positive count");
            }
        }

        /** {@link #maxAnswerSize} in bytes. */
        public int maxAnswerBytes() {
            return (int) maxAnswerSize.toBytes();
        }
    }

    /**
     * The artifact-service blob store ({@code PUT {url}/blobs}).
     *
     * @param url base URL of artifact-service; default {@code http://127.0.0.1:8083}
     * @param maxAttempts attempts per upload when the store is unreachable or answers 5xx; default 5
     * @param initialBackoff wait before the second attempt, doubled per attempt; default 200 ms
     * @param maxBackoff upper bound of that wait; default 5 s
     * @param connectTimeout how long connecting may take; default 5 s
     * @param requestTimeout how long one upload may take in total; default 2 min
     * @param token the API token with scope {@code blobs.write} sent as a bearer token; default none (then the
     *     store answers 401 and uploads wait, logged, until one is configured)
     */
    public record Blobs(@Nullable URI url, @Nullable Integer maxAttempts, @Nullable Duration initialBackoff,
            @Nullable Duration maxBackoff, @Nullable Duration connectTimeout, @Nullable Duration requestTimeout,
            @Nullable String token) {

        public Blobs {
            url = or(url, URI.create("http://127.0.0.1:8083"));
            maxAttempts = or(maxAttempts, 5);
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("cwom.worker.blobs.max-attempts is " + maxAttempts
                        + "; it must be at least 1");
            }
            initialBackoff = or(initialBackoff, Duration.ofMillis(200));
            maxBackoff = or(maxBackoff, Duration.ofSeconds(5));
            connectTimeout = or(connectTimeout, Duration.ofSeconds(5));
            requestTimeout = or(requestTimeout, Duration.ofMinutes(2));
        }
    }

    /**
     * The worker's own ceiling (defence in depth): every run is checked against it as against the pinned operator
     * policy, and runs under the constraints narrowed by both. No policy can exceed it. The defaults let the
     * executors and tools run as far as the policy allows, but never secrets; to forbid shells on this host set e.g.
     * {@code cwom.worker.ceiling.blocked-tools=sh,bash,dash}.
     *
     * @param executors executors this worker runs; default {@code *} (any it has)
     * @param tools the tools commands may start; default {@code *} (any)
     * @param blockedTools tools never started, whatever the policy says; default none (the shell executor's
     *     {@code shell.blocked-tools} still apply)
     * @param network whether commands may use the network; default true
     * @param hosts the hosts the http executor may call; default {@code *} (any)
     * @param maxTimeBudget the largest time budget; default 24 h
     * @param secrets whether a run may ask for secrets; default false (this worker has no secrets store)
     * @param maxOutputBytes the largest total output size; default 1 GiB
     */
    public record Ceiling(@Nullable List<String> executors, @Nullable List<String> tools,
            @Nullable List<String> blockedTools, @Nullable Boolean network, @Nullable List<String> hosts,
            @Nullable Duration maxTimeBudget, @Nullable Boolean secrets, @Nullable Long maxOutputBytes) {

        public Ceiling {
            executors = List.copyOf(or(executors, List.of("*")));
            tools = List.copyOf(or(tools, List.of("*")));
            blockedTools = List.copyOf(or(blockedTools, List.of()));
            network = or(network, true);
            hosts = List.copyOf(or(hosts, List.of("*")));
            maxTimeBudget = or(maxTimeBudget, Duration.ofHours(24));
            secrets = or(secrets, false);
            maxOutputBytes = or(maxOutputBytes, 1024L * 1024 * 1024);
        }

        /** The ceiling in the operator policy's terms, so that both are checked by the same code. */
        public PolicyLimits limits() {
            return new PolicyLimits(executors, new PolicyLimits.Tools(tools, blockedTools),
                    new PolicyLimits.Network(network, hosts), maxTimeBudget.toSeconds(), secrets, maxOutputBytes);
        }
    }

    private static String defaultWorkerId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    /** {@code value}, or {@code fallback} when it is null: how every settings record sets its defaults. */
    static <T> T or(@Nullable T value, T fallback) {
        return value == null ? fallback : value;
    }
}
