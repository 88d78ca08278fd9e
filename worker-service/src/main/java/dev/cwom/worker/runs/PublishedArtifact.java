package dev.cwom.worker.runs;

import dev.cwom.model.ArtifactType;
import org.jspecify.annotations.Nullable;

/**
 * An output of a run that is ready to be announced: its body is in the blob store (or it is a link).
 *
 * @param artifactId the new Artifact's id
 * @param type its type
 * @param title what it is
 * @param uri where it can be fetched
 * @param digest {@code sha256:} of the body; absent for links
 * @param mediaType its media type
 * @param sizeBytes its length; absent for links
 * @param preview a short text about it
 */
record PublishedArtifact(String artifactId, ArtifactType type, String title, String uri, @Nullable String digest,
        @Nullable String mediaType, @Nullable Long sizeBytes, @Nullable String preview) {
}
