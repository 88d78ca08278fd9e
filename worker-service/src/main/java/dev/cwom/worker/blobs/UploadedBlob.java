package dev.cwom.worker.blobs;

import java.net.URI;

/**
 * A blob the store accepted, as it answered.
 *
 * @param digest {@code sha256:<hex>} of the body, the blob's name
 * @param uri where it can be fetched
 * @param sizeBytes its length
 * @param mediaType the media type it is stored with
 */
public record UploadedBlob(String digest, URI uri, long sizeBytes, String mediaType) {
}
