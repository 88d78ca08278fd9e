package dev.cwom.localstack.benchmark;

import dev.cwom.events.Topics;
import dev.cwom.localstack.LocalStack;
import dev.cwom.localstack.LocalStackSettings;
import dev.cwom.localstack.ServiceProcess;
import dev.cwom.localstack.StackClient;
import dev.cwom.localstack.StackComponent;
import dev.cwom.localstack.StackFolders;
import dev.cwom.model.Ids;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.jspecify.annotations.Nullable;

/**
 * The whole-stack benchmark: starts the local stack in a folder of its own on free ports (a user's stack in
 * {@code .local-stack/} is never touched), measures the bare broker, pushes Issues at the maximum rate and then at a
 * fraction of it, prints the report (also written to {@code <data-dir>/benchmark-report.txt}) and stops the stack.
 * Exit code 0 when every Issue ended {@code done} with its trace, once; 3 when one did not; 1 when the run failed.
 *
 * <p>Run it with {@code ./mvnw -B -pl local-stack -am -Pstack-benchmark package -Dbenchmark.issues=1000}; see
 * docs/performance.md.
 */
public final class StackBenchmark {

    /** Every thread of the benchmark's own client is named so, to tell its CPU time from the registry's. */
    static final String THREAD_PREFIX = "stack-benchmark-";

    private final BenchmarkSettings settings;
    private final LocalStack stack;

    StackBenchmark(BenchmarkSettings settings, LocalStack stack) {
        this.settings = settings;
        this.stack = stack;
    }

    public static void main(String[] args) throws InterruptedException {
        BenchmarkSettings settings;
        try {
            settings = BenchmarkSettings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        int[] exit = {1};
        // Its own thread, named like the client's other threads, so its CPU time is the client's.
        Thread run = Thread.ofPlatform().name(THREAD_PREFIX + "main").start(() -> exit[0] = runAndStop(settings));
        run.join();
        System.exit(exit[0]);
    }

    private static int runAndStop(BenchmarkSettings settings) {
        Path demoFolder = settings.projectRoot().resolve(LocalStackSettings.defaults().dataDir().getFileName());
        if (settings.dataDir().equals(demoFolder)) {
            System.err.println("--data-dir=" + settings.dataDir() + " is the demo's folder; the benchmark empties its"
                    + " folder first, so give it one of its own");
            return 2;
        }
        StackFolders.empty(settings.dataDir());
        LocalStack stack = new LocalStack(stackSettings(settings));
        Thread stop = new Thread(stack::close, THREAD_PREFIX + "stop");
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            stack.start();
            return new StackBenchmark(settings, stack).run() ? 0 : 3;
        } catch (Exception e) {
            System.err.println("The benchmark failed: " + e);
            e.printStackTrace();
            return 1;
        } finally {
            System.out.println("Stopping the stack (its data and logs stay in " + settings.dataDir() + ") ...");
            stack.close();
            Runtime.getRuntime().removeShutdownHook(stop);
        }
    }

    /** The stack as the demo starts it, but in the benchmark's folder and on ports the OS says are free. */
    static LocalStackSettings stackSettings(BenchmarkSettings settings) {
        return LocalStackSettings.onFreePorts(settings.projectRoot(), settings.dataDir(), settings.startupTimeout(),
                settings.serviceJvmOptions(), settings.flightRecordings());
    }

    boolean run() throws Exception {
        Map<String, Object> producerConfig = new HashMap<>(StackClient.producerConfig(stack.bootstrapServers()));
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, THREAD_PREFIX + "producer");
        List<ProcessMeter.Watched> processes = watched();
        ProcessMeter meter = new ProcessMeter(ProcFs.system(), processes, ProcFs.clockTicksPerSecond());
        try (StackClient client = StackClient.of(stack);
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig);
                Connection db = DriverManager.getConnection(stack.jdbcUrl(), stack.jdbcUser(), stack.jdbcPassword());
                Completions completions = new Completions(db, settings.pollInterval());
                PeakSampler peaks = new PeakSampler(meter)) {
            BenchmarkReport report = new BenchmarkReport(settings, Machine.describe(), processes);
            IssueLoad load = new IssueLoad(producer);
            List<String> allIssues = new ArrayList<>();

            say("Warm-up: " + settings.warmupIssues() + " Issues, not measured ...");
            if (settings.warmupIssues() > 0) {
                List<IssueLoad.Submission> warmup = IssueLoad.build(client, "warmup", settings.warmupIssues());
                allIssues.addAll(ids(warmup));
                load.send(warmup, new Pacer(System.nanoTime(), 0), completions::sent);
                if (completions.awaitAll(ids(warmup), settings.stallTimeout()) == null) {
                    say("The warm-up Issues did not all get done; see " + stack.settings().logsDir());
                    return finish(report, db, allIssues);
                }
            }

            BareBroker broker = new BareBroker(stack.bootstrapServers(), producer);
            say("Bare broker: " + settings.issues() + " records of the Issues' size, produce + consume ...");
            report.broker(broker.measure("benchmark.bare-broker." + Ids.newUlid().toLowerCase(),
                    broker.partitionsOf(Topics.ISSUES_SUBMITTED), IssueLoad.build(client, "broker",
                            settings.issues())));

            say("Maximum rate: " + settings.issues() + " Issues as fast as the client sends them ...");
            List<IssueLoad.Submission> issues = IssueLoad.build(client, "max", settings.issues());
            allIssues.addAll(ids(issues));
            Phase max = measure(meter, issues, 0, load, completions);
            report.maximum(max);
            if (max.lastCompleteNanos() == null) {
                return finish(report, db, allIssues);
            }

            if (settings.latencyIssues() > 0) {
                double rate = settings.latencyFraction() * max.issuesPerSecond();
                say(String.format("Latency: %d Issues at %.1f Issues/s ...", settings.latencyIssues(), rate));
                List<IssueLoad.Submission> paced = IssueLoad.build(client, "paced", settings.latencyIssues());
                allIssues.addAll(ids(paced));
                Phase latency = measure(meter, paced, rate, load, completions);
                report.latency(rate, latency, Percentiles.of(completions.latenciesMs(ids(paced))));
            }
            report.memory(meter.snapshot(), peaks.peaks());
            return finish(report, db, allIssues);
        }
    }

    private Phase measure(ProcessMeter meter, List<IssueLoad.Submission> issues, double rate, IssueLoad load,
            Completions completions) throws InterruptedException {
        Map<String, ProcessMeter.Usage> before = meter.snapshot();
        long clientBefore = ClientThreads.cpuNanos();
        long start = System.nanoTime();
        load.send(issues, new Pacer(start, rate), completions::sent);
        Long last = completions.awaitAll(ids(issues), settings.stallTimeout());
        Map<String, ProcessMeter.Usage> after = meter.snapshot();
        long clientCpu = ClientThreads.cpuNanos() - clientBefore;
        return new Phase(issues.size(), start, last, ProcessMeter.cpuMsBetween(before, after),
                TimeUnit.NANOSECONDS.toMicros(clientCpu) / 1000.0);
    }

    private boolean finish(BenchmarkReport report, Connection db, List<String> allIssues) throws Exception {
        IssueAudit audit = IssueAudit.of(db, allIssues);
        report.audit(audit);
        String text = report.render();
        System.out.println();
        System.out.print(text);
        System.out.flush();
        Path file = settings.dataDir().resolve("benchmark-report.txt");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        System.out.println("The report is also in " + file);
        return audit.passed();
    }

    /** The processes measured: every component of the stack, PostgreSQL with its backends. */
    private List<ProcessMeter.Watched> watched() {
        List<ProcessMeter.Watched> watched = new ArrayList<>();
        for (StackComponent component : stack.components()) {
            if (component.name().startsWith("Kafka broker")) {
                watched.add(new ProcessMeter.Watched("Kafka broker", component.pid(), true));
            }
        }
        watched.add(new ProcessMeter.Watched("PostgreSQL (server + backends)", postmasterPid(), true));
        for (ServiceProcess service : stack.services()) {
            watched.add(new ProcessMeter.Watched(service.name(), service.pid(), true));
        }
        // The registry runs in this JVM, which started all the others: itself only, not its children.
        watched.add(new ProcessMeter.Watched(registryName(), ProcessHandle.current().pid(), false));
        return watched;
    }

    static String registryName() {
        return "schema registry (benchmark JVM)";
    }

    /** The embedded server's pid, the first line of its {@code postmaster.pid}. */
    private long postmasterPid() {
        Path file = stack.settings().postgresDir().resolve("postmaster.pid");
        try {
            return Long.parseLong(Files.readAllLines(file, StandardCharsets.UTF_8).getFirst().trim());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Could not read PostgreSQL's pid from " + file + ": " + e.getMessage(),
                    e);
        }
    }

    private static List<String> ids(List<IssueLoad.Submission> submissions) {
        return submissions.stream().map(IssueLoad.Submission::issueId).toList();
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /**
     * One measured phase.
     *
     * @param startNanos        when the first Issue was sent
     * @param lastCompleteNanos when the last was seen complete; null when some never were
     * @param cpuMs             CPU ms each process spent from just before the first send to the last completion
     * @param clientCpuMs       CPU ms of the benchmark's own threads in that time
     */
    record Phase(int issues, long startNanos, @Nullable Long lastCompleteNanos, Map<String, Double> cpuMs,
            double clientCpuMs) {

        double seconds() {
            Long last = lastCompleteNanos;
            return last == null ? Double.NaN : (last - startNanos) / 1e9;
        }

        double issuesPerSecond() {
            return issues / seconds();
        }

        /** CPU ms per Issue by process, the registry's without the client's threads, in this JVM too. */
        Map<String, Double> cpuMsPerIssue() {
            Map<String, Double> perIssue = new LinkedHashMap<>();
            cpuMs.forEach((name, ms) -> perIssue.put(name, ms < 0 ? -1
                    : (name.equals(registryName()) ? Math.max(0, ms - clientCpuMs) : ms) / issues));
            return perIssue;
        }
    }
}
