package dev.cwom.artifacts.blobs;

import java.nio.file.Path;

/**
 * A blob as it lies in the store.
 *
 * @param digest its name
 * @param path the file holding its bytes
 * @param sizeBytes its length
 * @param mediaType the Content-Type it was first uploaded with
 */
public record StoredBlob(BlobDigest digest, Path path, long sizeBytes, String mediaType) {
}
