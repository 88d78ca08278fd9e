package dev.cwom.worker.execution;

import dev.cwom.service.tracing.TraceHeaders;
import dev.cwom.worker.WorkerProperties;
import dev.cwom.worker.blobs.BlobStoreClient;
import dev.cwom.worker.executors.ExecutorRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ExecutionConfiguration {

    @Bean
    RunExecution runExecution(WorkerProperties properties, ExecutorRegistry registry, BlobStoreClient blobs,
            TraceHeaders traces) {
        return new RunExecution(properties, registry, blobs, Clock.systemUTC(), traces);
    }
}
