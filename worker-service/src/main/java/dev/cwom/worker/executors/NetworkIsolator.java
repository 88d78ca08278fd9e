package dev.cwom.worker.executors;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Keeps commands off the network by running them in a new, empty network namespace with {@code unshare}; only the
 * loopback device exists there, and it is down. Needs unprivileged user namespaces (most Linux hosts; not most
 * container runtimes' defaults); whether the host allows it is probed once, on first use.
 */
final class NetworkIsolator {

    private static final List<List<String>> VARIANTS = List.of(
            List.of("--net", "--map-current-user", "--"), // util-linux >= 2.38: keeps the user's own uid
            List.of("--net", "--map-root-user", "--"));

    private final String path;
    private volatile @Nullable Optional<List<String>> prefix; // null until probed

    NetworkIsolator(String path) {
        this.path = path;
    }

    /** The argv prefix that isolates a command, or empty when this host cannot isolate. */
    Optional<List<String>> prefix() throws InterruptedException {
        Optional<List<String>> known = prefix;
        if (known == null) {
            known = probe();
            prefix = known;
        }
        return known;
    }

    private Optional<List<String>> probe() throws InterruptedException {
        Optional<Path> unshare = which("unshare", path);
        Optional<Path> trueTool = which("true", path);
        if (unshare.isEmpty() || trueTool.isEmpty()) {
            return Optional.empty();
        }
        for (List<String> variant : VARIANTS) {
            List<String> argv = new ArrayList<>();
            argv.add(unshare.get().toString());
            argv.addAll(variant);
            try {
                Process probe = new ProcessBuilder(concat(argv, trueTool.get().toString()))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (probe.waitFor(5, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                    return Optional.of(List.copyOf(argv));
                }
                probe.destroyForcibly();
            } catch (IOException e) {
                // This variant is not available here; try the next.
            }
        }
        return Optional.empty();
    }

    private static List<String> concat(List<String> argv, String last) {
        List<String> all = new ArrayList<>(argv);
        all.add(last);
        return all;
    }

    /** The executable named {@code tool} on {@code path}, as a shell would find it. */
    static Optional<Path> which(String tool, String path) {
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, tool);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
