package dev.cwom.artifacts.blobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A body received into the store's {@code incoming/} folder ({@link IncomingBlobs#receive}), hashed and fsynced but
 * not yet a blob: its file, digest and size. {@link BlobStore#publish} renames it into place; closing it deletes the
 * file unless that happened.
 */
public final class ReceivedBlob implements AutoCloseable {

    private final Path temp;
    private final BlobDigest digest;
    private final long sizeBytes;

    ReceivedBlob(Path temp, BlobDigest digest, long sizeBytes) {
        this.temp = temp;
        this.digest = digest;
        this.sizeBytes = sizeBytes;
    }

    /** The digest of the received bytes. */
    public BlobDigest digest() {
        return digest;
    }

    /** How many bytes were received. */
    public long sizeBytes() {
        return sizeBytes;
    }

    /** The file in {@code incoming/} holding the bytes, until it is published or closed. */
    Path temp() {
        return temp;
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(temp);
    }
}
