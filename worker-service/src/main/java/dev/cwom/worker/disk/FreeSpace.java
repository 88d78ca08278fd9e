package dev.cwom.worker.disk;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where free space is measured. The worker uses the file system's own numbers ({@link #fileStores()}); tests give
 * one of their own to play a full disk without filling one.
 */
@FunctionalInterface
public interface FreeSpace {

    /** Free and total bytes of the file system that holds {@code path}. */
    Space of(Path path) throws IOException;

    /**
     * What a file system has.
     *
     * @param usableBytes bytes this process can still write ({@link FileStore#getUsableSpace()}: without the blocks
     *     reserved for root)
     * @param totalBytes the file system's size
     */
    record Space(long usableBytes, long totalBytes) {
    }

    /**
     * The file system's numbers, from {@link FileStore}. A root that does not exist yet (it is created with the first
     * run) is measured at its nearest existing parent: that is where it will be created.
     */
    static FreeSpace fileStores() {
        return path -> {
            Path existing = path.toAbsolutePath().normalize();
            while (!Files.exists(existing) && existing.getParent() != null) {
                existing = existing.getParent();
            }
            FileStore store = Files.getFileStore(existing);
            return new Space(store.getUsableSpace(), store.getTotalSpace());
        };
    }
}
