package dev.cwom.worker.blobs;

/**
 * The blob store could not be reached or answered 5xx on every attempt. Transient: the same upload may succeed later
 * (the caller should not commit the run's events, so that the work order is picked up again).
 */
public final class BlobStoreUnavailableException extends BlobStoreException {

    BlobStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    BlobStoreUnavailableException(String message) {
        super(message);
    }
}
