package dev.cwom.localstack.benchmark;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The figures of one run, collected as the phases end and printed as two aligned Markdown tables. */
final class BenchmarkReport {

    private final BenchmarkSettings settings;
    private final String machineAtStart;
    private final Instant started = Instant.now();
    private final List<ProcessMeter.Watched> processes;
    private BareBroker.@Nullable Result broker;
    private StackBenchmark.@Nullable Phase maximum;
    private StackBenchmark.@Nullable Phase latency;
    private double latencyRate;
    private @Nullable Percentiles latencies;
    private Map<String, ProcessMeter.Usage> memoryAtEnd = Map.of();
    private Map<String, Long> peakRssKb = Map.of();
    private @Nullable IssueAudit audit;

    BenchmarkReport(BenchmarkSettings settings, String machineAtStart, List<ProcessMeter.Watched> processes) {
        this.settings = settings;
        this.machineAtStart = machineAtStart;
        this.processes = processes;
    }

    void broker(BareBroker.Result result) {
        broker = result;
    }

    void maximum(StackBenchmark.Phase phase) {
        maximum = phase;
    }

    void latency(double rate, StackBenchmark.Phase phase, Percentiles percentiles) {
        latencyRate = rate;
        latency = phase;
        latencies = percentiles;
    }

    void memory(Map<String, ProcessMeter.Usage> atEnd, Map<String, Long> peaks) {
        memoryAtEnd = atEnd;
        peakRssKb = peaks;
    }

    void audit(IssueAudit result) {
        audit = result;
    }

    String render() {
        String nl = System.lineSeparator();
        StringBuilder out = new StringBuilder();
        out.append("CWOM whole-stack benchmark, ").append(started.truncatedTo(ChronoUnit.SECONDS)).append(nl);
        out.append("Machine: ").append(machineAtStart).append(" at the start, ").append(Machine.load())
                .append(" at the end").append(nl);
        out.append("Stack: Kafka broker (KRaft), PostgreSQL (embedded), schema registry, ingest-service, ")
                .append(processes.stream().filter(p -> p.name().startsWith("worker-service")).count())
                .append(" worker-service instances, artifact-service; ready noop Issues through ")
                .append(dev.cwom.events.Topics.ISSUES_SUBMITTED).append(", ").append(settings.warmupIssues())
                .append(" warm-up Issues first (not measured)").append(nl);
        out.append("Services' JVM options: ").append(settings.serviceJvmOptions().isBlank() ? "none (C1 and C2)"
                : settings.serviceJvmOptions()).append(settings.flightRecordings() ? "; flight recordings on" : "")
                .append(nl).append(nl);

        TextTable figures = new TextTable("measure", "value");
        BareBroker.Result b = broker;
        StackBenchmark.Phase max = maximum;
        if (b != null) {
            figures.row("bare broker, produce + consume (same client)", String.format(
                    "%,.0f records/s (%,d records of %,d bytes; produce alone %,.0f records/s)",
                    b.produceConsumePerSecond(), b.records(), b.averageBytes(), b.producePerSecond()));
        }
        if (max != null) {
            figures.row("end to end at the maximum rate (submitted -> done with its trace)",
                    max.lastCompleteNanos() == null ? "not all Issues got done, see below"
                            : String.format("%,.1f Issues/s (%,d Issues in %.1f s)", max.issuesPerSecond(),
                                    max.issues(), max.seconds()));
            if (b != null && max.lastCompleteNanos() != null) {
                figures.row("ratio end to end / bare broker", String.format("%.4f", max.issuesPerSecond()
                        / b.produceConsumePerSecond()));
            }
        }
        Percentiles p = latencies;
        StackBenchmark.Phase paced = latency;
        if (p != null && paced != null) {
            figures.row(String.format("submitted -> done at %.1f Issues/s (%.0f %% of the maximum)", latencyRate,
                    settings.latencyFraction() * 100), String.format("p50 %,d ms, p99 %,d ms, max %,d ms (%,d of %,d"
                    + " Issues; resolution %d ms)", p.p50(), p.p99(), p.max(), p.count(), paced.issues(),
                    settings.pollInterval().toMillis()));
        }
        IssueAudit a = audit;
        if (a != null) {
            figures.row("Issues", a.summary() + (a.passed() ? ": all done, each once, each with its trace"
                    : ": FAILED"));
        }
        out.append(figures.render()).append(nl);

        if (max != null) {
            out.append(processTable(max, paced)).append(nl);
            out.append("CPU: utime + stime from /proc/<pid>/stat (with ended children's cutime + cstime), from just")
                    .append(" before the first send to the last Issue seen complete, divided by the Issues.").append(nl)
                    .append("RSS: VmRSS at the end; peak: VmHWM, or for PostgreSQL the highest of the 1-s samples")
                    .append(" (its backends counted without shared memory).").append(nl)
                    .append("The registry runs in the benchmark's JVM: its CPU is the JVM's without the")
                    .append(" benchmark's own threads; its memory is the whole JVM's.").append(nl);
        }
        return out.toString();
    }

    private String processTable(StackBenchmark.Phase max, StackBenchmark.@Nullable Phase paced) {
        String pacedHeader = paced == null ? " CPU ms/Issue, paced (not run)"
                : String.format(" CPU ms/Issue at %.0f %%", settings.latencyFraction() * 100);
        TextTable table = new TextTable("process", " pid", " CPU ms/Issue at max", pacedHeader, " RSS MB at end",
                " peak RSS MB");
        Map<String, Double> atMax = max.cpuMsPerIssue();
        Map<String, Double> atPaced = paced == null ? new LinkedHashMap<>() : paced.cpuMsPerIssue();
        double totalMax = 0;
        double totalPaced = 0;
        for (ProcessMeter.Watched process : processes) {
            String name = process.name();
            ProcessMeter.Usage memory = memoryAtEnd.getOrDefault(name, ProcessMeter.Usage.GONE);
            table.row(name, Long.toString(process.pid()), ms(atMax.get(name)), ms(atPaced.get(name)),
                    mb(memory.rssKb()), mb(peakRssKb.getOrDefault(name, -1L)));
            totalMax += Math.max(0, atMax.getOrDefault(name, 0.0));
            totalPaced += Math.max(0, atPaced.getOrDefault(name, 0.0));
        }
        table.row("all of the stack", "", ms(totalMax), paced == null ? "" : ms(totalPaced), "", "");
        table.row("benchmark client (not in the sum)", "", ms(max.clientCpuMs() / max.issues()),
                paced == null ? "" : ms(paced.clientCpuMs() / paced.issues()), "", "");
        return table.render();
    }

    private static String ms(@Nullable Double value) {
        return value == null ? "" : value < 0 ? "gone" : String.format("%.2f", value);
    }

    private static String mb(long kb) {
        return kb < 0 ? "gone" : String.format("%.0f", kb / 1024.0);
    }
}
