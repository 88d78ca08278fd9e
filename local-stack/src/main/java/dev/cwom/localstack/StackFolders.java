package dev.cwom.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where the stack's services find what the stack decides for them on disk: the policy file, the work folders, the
 * flight recordings.
 */
public final class StackFolders {

    private StackFolders() {
    }

    /**
     * {@code --policy}'s file, or the stack's default written to {@code <data-dir>/default-policy.yaml} (anew on every
     * start, so it follows the version of the stack; ingest stores a new policy version only when it changed).
     */
    static Path policyFile(LocalStackSettings settings) {
        if (settings.policyFile() != null) {
            return settings.policyFile();
        }
        Path file = settings.dataDir().resolve("default-policy.yaml");
        try (var in = StackFolders.class.getResourceAsStream("/local-stack-policy.yaml")) {
            if (in == null) {
                throw new IllegalStateException("local-stack-policy.yaml is missing from the local-stack jar");
            }
            Files.createDirectories(file.getParent());
            Files.write(file, in.readAllBytes());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the default policy to " + file + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * The workers' work root. A worker running as root starts its shell sandboxes as an unprivileged uid, which must
     * be able to reach the run folders (docs/executors.md): the data folder and its work folder are made searchable
     * (o+x, not listable) when ours; where a folder above them is not (a data folder under {@code /root}, say), the
     * work folders go to a fresh searchable folder under the system's temp folder instead, and the stack says so.
     */
    static Path workRoot(LocalStackSettings settings) {
        Path wanted = settings.workDir();
        try {
            if (!Files.exists(Path.of("/proc/self")) || !Integer.valueOf(0).equals(
                    Files.getAttribute(Path.of("/proc/self"), "unix:uid"))) {
                return wanted;
            }
            Files.createDirectories(wanted);
            searchable(settings.dataDir());
            searchable(wanted);
            for (Path dir = settings.dataDir().getParent(); dir != null; dir = dir.getParent()) {
                if (!Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    Path temporary = Files.createTempDirectory("cwom-local-stack-work-");
                    searchable(temporary);
                    System.out.println("The workers' shell sandboxes cannot reach " + wanted + " (" + dir
                            + " is not searchable by others): their work folders are in " + temporary);
                    return temporary;
                }
            }
            return wanted;
        } catch (IOException | UnsupportedOperationException e) {
            return wanted;
        }
    }

    /** The flight recordings' folder, which the JVMs do not create themselves. */
    static void createJfrDir(LocalStackSettings settings) {
        try {
            Files.createDirectories(settings.jfrDir());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create " + settings.jfrDir() + ": " + e.getMessage(), e);
        }
    }

    private static void searchable(Path dir) throws IOException {
        Set<PosixFilePermission> permissions = EnumSet.copyOf(Files.getPosixFilePermissions(dir));
        if (permissions.add(PosixFilePermission.OTHERS_EXECUTE)) {
            Files.setPosixFilePermissions(dir, permissions);
        }
    }


    /**
     * Empties {@code dir} (a benchmark's or the chaos suite's own stack folder, which starts from nothing each run);
     * nothing happens when it does not exist.
     */
    public static void empty(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not empty the stack folder " + dir + ": " + e.getMessage(), e);
        }
    }
}
