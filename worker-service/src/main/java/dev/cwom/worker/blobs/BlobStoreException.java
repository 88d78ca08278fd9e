package dev.cwom.worker.blobs;

/**
 * An upload to the blob store failed. The subtype says whether trying again later can help:
 * {@link BlobStoreUnavailableException} yes, {@link BlobRejectedException} and {@link BlobStoreProtocolException} no.
 */
public abstract sealed class BlobStoreException extends RuntimeException
        permits BlobStoreUnavailableException, BlobRejectedException, BlobStoreProtocolException {

    BlobStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    BlobStoreException(String message) {
        super(message);
    }
}
