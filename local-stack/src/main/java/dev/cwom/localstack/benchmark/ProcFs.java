package dev.cwom.localstack.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * CPU time and memory of processes as Linux's {@code /proc} reports them (proc(5)): {@code /proc/<pid>/stat} for
 * {@code utime}, {@code stime} and, for children that ended and were waited for, {@code cutime} and {@code cstime}
 * (clock ticks); {@code /proc/<pid>/status} for {@code VmRSS}, {@code VmHWM} and {@code RssShmem} (kB). The root is a
 * parameter so tests can hand it a folder of their own.
 */
final class ProcFs {

    private final Path root;

    ProcFs(Path root) {
        this.root = root;
    }

    /** The machine's {@code /proc}. */
    static ProcFs system() {
        return new ProcFs(Path.of("/proc"));
    }

    /** The counters of {@code /proc/<pid>/stat} a benchmark needs. */
    record Stat(long pid, long ppid, long utime, long stime, long cutime, long cstime) {

        /** Ticks this process and its waited-for children spent on a CPU, user and kernel. */
        long cpuTicks() {
            return utime + stime + cutime + cstime;
        }
    }

    /** The memory lines of {@code /proc/<pid>/status}, in kB; 0 when a line is missing (a kernel thread, say). */
    record Memory(long rssKb, long peakRssKb, long sharedMemoryKb) {
    }

    /** One process tree at one moment: CPU ticks of all its processes, memory with shared memory counted once. */
    record TreeUsage(int processes, long cpuTicks, long rssKb, long peakRssKb) {
    }

    /**
     * Parses a {@code stat} line. The command name (field 2) is in parentheses and may itself hold spaces and
     * parentheses, so the fields are counted from the last {@code ')'}.
     */
    static Stat parseStat(String line) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 0 || close < open) {
            throw new IllegalArgumentException("Not a /proc/<pid>/stat line: " + line);
        }
        long pid = Long.parseLong(line.substring(0, open).trim());
        // after ")": field 3 (state) is index 0, so field n is index n - 3
        String[] fields = line.substring(close + 1).trim().split("\\s+");
        if (fields.length < 15) {
            throw new IllegalArgumentException("A /proc/<pid>/stat line with too few fields: " + line);
        }
        return new Stat(pid, Long.parseLong(fields[1]), Long.parseLong(fields[11]), Long.parseLong(fields[12]),
                Long.parseLong(fields[13]), Long.parseLong(fields[14]));
    }

    /** Parses the text of a {@code status} file. */
    static Memory parseStatus(String text) {
        long rss = 0;
        long peak = 0;
        long shared = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                rss = kilobytes(line);
            } else if (line.startsWith("VmHWM:")) {
                peak = kilobytes(line);
            } else if (line.startsWith("RssShmem:")) {
                shared = kilobytes(line);
            }
        }
        return new Memory(rss, peak, shared);
    }

    private static long kilobytes(String line) {
        String[] parts = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
        return Long.parseLong(parts[0]);
    }

    /** Every process's stat now, by pid; processes that end while being read are left out. */
    Map<Long, Stat> stats() {
        Map<Long, Stat> stats = new HashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, "[0-9]*")) {
            for (Path entry : entries) {
                Stat stat = readStat(entry);
                if (stat != null) {
                    stats.put(stat.pid(), stat);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not list the processes in " + root + ": " + e.getMessage(), e);
        }
        return stats;
    }

    /**
     * The usage of {@code pid} and, with {@code descendants}, of every process below it in {@code stats}. A
     * descendant's memory is counted without its shared memory (PostgreSQL's backends all map the server's shared
     * buffers: counted once, in the root). Null when the process is gone.
     */
    @Nullable TreeUsage tree(long pid, boolean descendants, Map<Long, Stat> stats) {
        Stat rootStat = stats.get(pid);
        Memory rootMemory = memory(pid);
        if (rootStat == null || rootMemory == null) {
            return null;
        }
        List<Long> tree = descendants ? descendantsOf(pid, stats) : List.of();
        long cpu = rootStat.cpuTicks();
        long rss = rootMemory.rssKb();
        long peak = rootMemory.peakRssKb();
        int processes = 1;
        for (long child : tree) {
            Stat stat = stats.get(child);
            Memory memory = memory(child);
            if (stat == null || memory == null) {
                continue;
            }
            processes++;
            cpu += stat.cpuTicks();
            long own = Math.max(0, memory.rssKb() - memory.sharedMemoryKb());
            rss += own;
            peak += own;
        }
        return new TreeUsage(processes, cpu, rss, peak);
    }

    /** Children, grandchildren, ... of {@code pid}. */
    static List<Long> descendantsOf(long pid, Map<Long, Stat> stats) {
        Map<Long, List<Long>> children = new HashMap<>();
        stats.values().forEach(s -> children.computeIfAbsent(s.ppid(), p -> new ArrayList<>()).add(s.pid()));
        List<Long> found = new ArrayList<>();
        Deque<Long> todo = new ArrayDeque<>(children.getOrDefault(pid, List.of()));
        while (!todo.isEmpty()) {
            long next = todo.pop();
            found.add(next);
            todo.addAll(children.getOrDefault(next, List.of()));
        }
        return found;
    }

    private @Nullable Stat readStat(Path processDir) {
        try {
            return parseStat(Files.readString(processDir.resolve("stat"), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }

    private @Nullable Memory memory(long pid) {
        try {
            return parseStatus(Files.readString(root.resolve(Long.toString(pid)).resolve("status"),
                    StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }

    /** Clock ticks per second ({@code getconf CLK_TCK}); Linux's USER_HZ is 100 on every common architecture. */
    static long clockTicksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return getconf.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
