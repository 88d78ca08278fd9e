package dev.cwom.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * One running stack per test JVM, on free ports in a temporary folder, for every end-to-end test: starting it costs
 * a broker, PostgreSQL and four service JVMs, too much to repeat per class on a shared two-core machine. Stopped
 * (and its folder deleted) when the test JVM exits.
 */
final class SharedStack {

    private static @Nullable LocalStack stack;
    private static @Nullable RuntimeException failure;

    private SharedStack() {
    }

    /** The running stack, started on first use; a failed start is reported to every later caller as well. */
    static synchronized LocalStack get() {
        if (failure != null) {
            throw new IllegalStateException("The shared stack failed to start earlier: " + failure.getMessage(),
                    failure);
        }
        if (stack != null) {
            return stack;
        }
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("cwom-local-stack-");
            // A temp folder is private (700); the workers' shell sandboxes run as uid 65534 when the tests run as
            // root, and must reach their work folders under it.
            Files.setPosixFilePermissions(dataDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LocalStackSettings settings = LocalStackSettings.parse(new String[] {
                "--data-dir=" + dataDir, "--startup-timeout=PT240S",
                "--kafka-port=" + FreePorts.next(), "--kafka-controller-port=" + FreePorts.next(),
                "--postgres-port=" + FreePorts.next(), "--registry-port=" + FreePorts.next(),
                "--ingest-port=" + FreePorts.next(), "--artifact-port=" + FreePorts.next(),
                "--worker-ports=" + FreePorts.next() + "," + FreePorts.next()}, new Properties());
        LocalStack started = new LocalStack(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            started.close();
            deleteQuietly(dataDir);
        }, "shared-stack-stop"));
        try {
            started.start();
        } catch (RuntimeException e) {
            failure = e;
            started.close();
            throw e;
        }
        stack = started;
        return started;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("Could not delete " + dir + ": " + e.getMessage());
        }
    }
}
