package dev.cwom.worker.executors;

import dev.cwom.model.ArtifactType;
import java.net.URI;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * One output of an execution, to become an Artifact: either a file whose body is uploaded, or a link to something
 * that lives elsewhere (then {@code uri} is published as it is, without a digest).
 *
 * @param title what it is, for humans
 * @param type its artifact type
 * @param mediaType its media type
 * @param file the file holding its body, inside the run's trace folder
 * @param uri where it lives, for links
 */
public record ExecutionOutput(String title, ArtifactType type, String mediaType, @Nullable Path file,
        @Nullable URI uri) {

    public ExecutionOutput {
        if ((file == null) == (uri == null)) {
            throw new IllegalArgumentException("Output '" + title + "' needs exactly one of file and uri");
        }
    }

    public static ExecutionOutput file(String title, ArtifactType type, String mediaType, Path file) {
        return new ExecutionOutput(title, type, mediaType, file, null);
    }

    public static ExecutionOutput link(String title, ArtifactType type, String mediaType, URI uri) {
        return new ExecutionOutput(title, type, mediaType, null, uri);
    }
}
