package dev.cwom.localstack.benchmark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the CPU time and memory of the stack's processes, each a named process tree (PostgreSQL is a server process
 * with a child per connection; a JVM is one process). {@link #snapshot()} answers the counters at one moment; the
 * difference of two snapshots is what the processes spent in between.
 */
final class ProcessMeter {

    /**
     * One measured process.
     *
     * @param name        as the report shows it
     * @param pid         the process, or the root of its tree
     * @param descendants whether its children count as part of it (PostgreSQL's backends); false for a JVM that
     *                    started the others (this one)
     */
    record Watched(String name, long pid, boolean descendants) {
    }

    /** A process at one moment: CPU ms so far (with its ended children), RSS and peak RSS in kB; -1 when gone. */
    record Usage(double cpuMs, long rssKb, long peakRssKb, int processes) {

        static final Usage GONE = new Usage(-1, -1, -1, 0);
    }

    private final ProcFs proc;
    private final List<Watched> watched;
    private final double msPerTick;

    ProcessMeter(ProcFs proc, List<Watched> watched, long clockTicksPerSecond) {
        this.proc = proc;
        this.watched = List.copyOf(watched);
        this.msPerTick = 1000.0 / clockTicksPerSecond;
    }

    List<Watched> watched() {
        return watched;
    }

    /** Every watched process now, by name, in the order given. */
    Map<String, Usage> snapshot() {
        Map<Long, ProcFs.Stat> stats = proc.stats();
        Map<String, Usage> usage = new LinkedHashMap<>();
        for (Watched w : watched) {
            ProcFs.TreeUsage tree = proc.tree(w.pid(), w.descendants(), stats);
            usage.put(w.name(), tree == null ? Usage.GONE
                    : new Usage(tree.cpuTicks() * msPerTick, tree.rssKb(), tree.peakRssKb(), tree.processes()));
        }
        return usage;
    }

    /** CPU ms each process spent between two snapshots; -1 for one that was gone at either. */
    static Map<String, Double> cpuMsBetween(Map<String, Usage> before, Map<String, Usage> after) {
        Map<String, Double> spent = new LinkedHashMap<>();
        before.forEach((name, start) -> {
            Usage end = after.getOrDefault(name, Usage.GONE);
            spent.put(name, start.cpuMs() < 0 || end.cpuMs() < 0 ? -1 : Math.max(0, end.cpuMs() - start.cpuMs()));
        });
        return spent;
    }

    /** Per process, the larger peak of two readings (samples taken during a run, kept as the run goes). */
    static Map<String, Long> higherPeaks(Map<String, Long> peaks, Map<String, Usage> sample) {
        Map<String, Long> higher = new LinkedHashMap<>(peaks);
        sample.forEach((name, usage) -> higher.merge(name, Math.max(usage.rssKb(), usage.peakRssKb()), Math::max));
        return higher;
    }
}
