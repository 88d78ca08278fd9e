package dev.cwom.worker.blobs;

import dev.cwom.worker.WorkerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class BlobsConfiguration {

    @Bean
    BlobStoreClient blobStoreClient(WorkerProperties properties) {
        return new BlobStoreClient(properties.blobs());
    }
}
