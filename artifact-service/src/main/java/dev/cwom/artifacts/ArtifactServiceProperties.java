package dev.cwom.artifacts;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The one configuration record of artifact-service (prefix {@code cwom.artifact}); every default lives in
 * the {@code @DefaultValue}s below.
 *
 * @param blobs the content-addressed blob store that holds artifact bodies
 */
@ConfigurationProperties("cwom.artifact")
public record ArtifactServiceProperties(@DefaultValue Blobs blobs) {

    /**
     * Settings of the blob store ({@code cwom.artifact.blobs.*}).
     *
     * @param root folder under which blobs live as {@code sha256/ab/cd/<hex>}, with in-flight uploads in
     *     {@code incoming/}; relative paths resolve against the working directory
     * @param maxSize largest accepted body; a bigger upload is answered 413 and its partial file deleted
     */
    public record Blobs(@DefaultValue("data/blobs") Path root, @DefaultValue("1GB") DataSize maxSize) {
    }
}
