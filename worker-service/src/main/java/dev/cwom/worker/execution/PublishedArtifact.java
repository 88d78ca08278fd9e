package dev.cwom.worker.execution;

import dev.cwom.model.ArtifactType;
import org.jspecify.annotations.Nullable;

/**
 * An output whose body is in the blob store (or a link), ready to be announced as {@code ArtifactCreated}.
 *
 * @param artifactId a new ULID for the Artifact
 * @param type its artifact type ({@code trace} for the run's trace bundle)
 * @param title what it is
 * @param uri where it can be fetched
 * @param digest {@code sha256:<hex>} of the body; absent for links
 * @param mediaType its media type
 * @param sizeBytes its length; absent for links
 * @param preview a short text preview, for text bodies and the trace
 */
public record PublishedArtifact(String artifactId, ArtifactType type, String title, String uri,
        @Nullable String digest, String mediaType, @Nullable Long sizeBytes, @Nullable String preview) {
}
