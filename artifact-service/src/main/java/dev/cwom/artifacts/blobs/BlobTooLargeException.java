package dev.cwom.artifacts.blobs;

/** An upload is bigger than {@code cwom.artifact.blobs.max-size}; nothing of it was kept. */
public class BlobTooLargeException extends RuntimeException {

    private final long maxBytes;

    BlobTooLargeException(String sizeDescription, long maxBytes) {
        super("Blob of " + sizeDescription + " exceeds the blob store's limit of " + maxBytes
                + " bytes: upload a smaller body or raise cwom.artifact.blobs.max-size");
        this.maxBytes = maxBytes;
    }

    /** The configured limit in bytes. */
    public long maxBytes() {
        return maxBytes;
    }
}
