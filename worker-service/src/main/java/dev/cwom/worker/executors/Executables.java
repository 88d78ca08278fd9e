package dev.cwom.worker.executors;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds programs the way a shell does: the first executable file of that name on a {@code PATH}. */
final class Executables {

    private Executables() {
    }

    /** The executable named {@code tool} on {@code path}. */
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
