package dev.cwom.artifacts.blobs;

import dev.cwom.json.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The store's {@code incoming/} folder: every upload streams into a file of its own there while being hashed, and is
 * fsynced, before {@link BlobStore} renames it into place (same file system, so the rename is atomic). Files that
 * stay here (uploads killed with their process) are what {@link BlobJanitor} sweeps, judged by their modification
 * time, which every chunk written renews.
 */
final class IncomingBlobs {

    private static final int BUFFER_BYTES = 64 * 1024;

    private final Path folder;
    private final long maxBytes;

    IncomingBlobs(Path folder, long maxBytes) {
        this.folder = folder;
        this.maxBytes = maxBytes;
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the blob store's folder " + folder
                    + ": make cwom.artifact.blobs.root point at a writable folder", e);
        }
    }

    /** The folder itself. */
    Path folder() {
        return folder;
    }

    /**
     * Streams {@code body} into a new file here while hashing it, and fsyncs it.
     *
     * @throws BlobTooLargeException above {@code maxBytes}
     * @throws DigestMismatchException when {@code expected} differs from the body's digest
     * @throws UploadInterruptedException when reading {@code body} fails or ends short of {@code declaredLength}
     * @throws IOException when the store itself cannot write
     */
    ReceivedBlob receive(InputStream body, long declaredLength, @Nullable BlobDigest expected) throws IOException {
        if (declaredLength > maxBytes) {
            throw new BlobTooLargeException(declaredLength + " bytes", maxBytes);
        }
        Path temp = newFile("upload-");
        boolean received = false;
        try {
            ReceivedBlob upload = receive(body, declaredLength, temp);
            if (expected != null && !expected.equals(upload.digest())) {
                throw new DigestMismatchException(expected, upload.digest());
            }
            received = true;
            return upload;
        } finally {
            if (!received) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** A new empty file here, named {@code <prefix>...part}. */
    Path newFile(String prefix) throws IOException {
        return Files.createTempFile(folder, prefix, ".part");
    }

    /** Calls {@code visitor} with every file here: uploads in flight, and what killed uploads left behind. */
    void forEach(Consumer<BlobStore.FoundFile> visitor) throws IOException {
        List<BlobStore.FoundFile> found = new ArrayList<>();
        try (var files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                try {
                    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                    if (attributes.isRegularFile()) {
                        found.add(new BlobStore.FoundFile(file, attributes.lastModifiedTime().toInstant(),
                                attributes.size()));
                    }
                } catch (NoSuchFileException e) {
                    // finished (renamed into place) while being listed
                }
            }
        }
        found.forEach(visitor);
    }

    private ReceivedBlob receive(InputStream body, long declaredLength, Path temp) throws IOException {
        MessageDigest sha = Digests.newSha256();
        byte[] buffer = new byte[BUFFER_BYTES];
        long total = 0;
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            while (true) {
                int n;
                try {
                    n = body.read(buffer);
                } catch (IOException e) {
                    throw new UploadInterruptedException(total, declaredLength, e);
                }
                if (n < 0) {
                    break;
                }
                total += n;
                if (total > maxBytes) {
                    throw new BlobTooLargeException("more than " + maxBytes + " bytes", maxBytes);
                }
                sha.update(buffer, 0, n);
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
            }
            if (declaredLength >= 0 && total != declaredLength) {
                throw new UploadInterruptedException(total, declaredLength);
            }
            out.force(true);
        }
        return new ReceivedBlob(temp, BlobDigest.of(sha.digest()), total);
    }
}
