package dev.cwom.worker.disk;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deleting and measuring a file tree without following symbolic links: a run may leave a link to {@code /} in its
 * folders, and deleting the run must remove the link, never what it points to.
 */
public final class FileTrees {

    private static final Logger log = LoggerFactory.getLogger(FileTrees.class);

    private FileTrees() {
    }

    /**
     * Deletes {@code path} (a file, a link or a folder with everything in it); a path that is not there is fine.
     * Failures are logged, not thrown: what is left is found again by the start-up sweep.
     *
     * @return whether nothing is left
     */
    public static boolean delete(Path path) {
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    // e.g. a folder the run made unreadable: try to remove it as it is
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, @Nullable IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
            return true;
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            log.warn("Could not delete {} ({}); the worker's start-up sweep tries again, or delete it by hand", path,
                    e.toString());
            return false;
        }
    }

    /** The bytes of the regular files under {@code path} (0 when it is not there); links are not followed. */
    public static long size(Path path) {
        long[] total = {0};
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile()) {
                        total[0] += attributes.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log.debug("Could not measure {} completely: {}", path, e.toString());
        }
        return total[0];
    }
}
