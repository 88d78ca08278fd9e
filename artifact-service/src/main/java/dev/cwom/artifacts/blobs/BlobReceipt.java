package dev.cwom.artifacts.blobs;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;

/**
 * The answer to {@code PUT /blobs}: what an {@code Artifact} needs to point at the body.
 *
 * @param digest {@code sha256:<hex>}
 * @param uri where {@code GET} returns the body
 * @param sizeBytes length of the body
 * @param mediaType Content-Type kept with the body
 */
record BlobReceipt(
        String digest,
        URI uri,
        @JsonProperty("size_bytes") long sizeBytes,
        @JsonProperty("media_type") String mediaType) {

    static BlobReceipt of(StoredBlob blob, URI uri) {
        return new BlobReceipt(blob.digest().toString(), uri, blob.sizeBytes(), blob.mediaType());
    }
}
