package dev.cwom.localstack.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The machine a run was measured on, for the report: CPUs, CPU model, memory, load. */
public final class Machine {

    private Machine() {
    }

    /** E.g. {@code 2 CPUs (AMD EPYC), 23.5 GB RAM, load average 3.1 2.9 2.7}. */
    public static String describe() {
        return Runtime.getRuntime().availableProcessors() + " CPUs (" + cpuModel() + "), "
                + String.format("%.1f GB RAM", memTotalKb() / 1024.0 / 1024.0) + ", " + load();
    }

    /** {@code load average 1.2 0.8 0.5} from /proc/loadavg. */
    public static String load() {
        List<String> line = lines("/proc/loadavg");
        if (line.isEmpty()) {
            return "load average unknown";
        }
        String[] fields = line.getFirst().split("\\s+");
        return "load average " + fields[0] + " " + fields[1] + " " + fields[2];
    }

    private static String cpuModel() {
        return lines("/proc/cpuinfo").stream().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("model unknown");
    }

    private static long memTotalKb() {
        return lines("/proc/meminfo").stream().filter(l -> l.startsWith("MemTotal:")).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(0L);
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }
}
