package dev.cwom.worker.blobs;

/** The blob store refused the upload with a 4xx (too large, bad media type...). Fatal: the same upload fails again. */
public final class BlobRejectedException extends BlobStoreException {

    private final int status;

    BlobRejectedException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The HTTP status the store answered. */
    public int status() {
        return status;
    }
}
