package dev.cwom.artifacts.blobs;

import dev.cwom.artifacts.ArtifactServiceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds the {@link BlobStore} from {@code cwom.artifact.blobs.*}. */
@Configuration(proxyBeanMethods = false)
class BlobStoreConfiguration {

    @Bean
    BlobStore blobStore(ArtifactServiceProperties properties) {
        ArtifactServiceProperties.Blobs blobs = properties.blobs();
        return new BlobStore(blobs.root(), blobs.maxSize().toBytes());
    }
}
