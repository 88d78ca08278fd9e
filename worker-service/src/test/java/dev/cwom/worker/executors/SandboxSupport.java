package dev.cwom.worker.executors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What tests that start real sandboxes need. */
public final class SandboxSupport {

    private SandboxSupport() {
    }

    /**
     * A JUnit temp folder is private to its owner (700); a worker running as root starts its sandboxes as uid 65534,
     * which must be able to reach the work folder, as it must under a real work-root.
     */
    public static Path searchable(Path folder) throws IOException {
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        return folder;
    }

    /** Pids of the processes whose command line contains {@code marker}, read from {@code /proc}. */
    public static List<Long> processesWith(String marker) throws IOException {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (cmdline.contains(marker)) {
                        pids.add(Long.parseLong(proc.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // Gone meanwhile.
                }
            }
        }
        return pids;
    }
}
