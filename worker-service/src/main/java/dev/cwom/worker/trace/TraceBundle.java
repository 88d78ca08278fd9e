package dev.cwom.worker.trace;

import java.nio.file.Path;

/**
 * A trace folder packed into one file, ready to upload and publish as the Artifact of type {@code trace}.
 *
 * @param file the bundle
 * @param mediaType its media type
 * @param sizeBytes its length
 * @param digest {@code sha256:<hex>} of its bytes
 * @param preview a short plain-text summary of what is inside, for the Artifact's {@code preview}
 */
public record TraceBundle(Path file, String mediaType, long sizeBytes, String digest, String preview) {
}
