package dev.cwom.worker.blobs;

import dev.cwom.service.tracing.TraceHeaders;
import dev.cwom.worker.WorkerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class BlobsConfiguration {

    @Bean
    BlobStoreClient blobStoreClient(WorkerProperties properties, TraceHeaders traces) {
        return new BlobStoreClient(properties.blobs(), traces);
    }
}
