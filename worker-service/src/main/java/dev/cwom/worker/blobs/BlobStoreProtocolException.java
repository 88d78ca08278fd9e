package dev.cwom.worker.blobs;

/**
 * The blob store answered success with a body that breaks the contract (not the expected JSON, or a digest or size
 * different from what was sent). Fatal: a store that does this needs fixing, not retrying.
 */
public final class BlobStoreProtocolException extends BlobStoreException {

    BlobStoreProtocolException(String message) {
        super(message);
    }

    BlobStoreProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
