package dev.cwom.worker.disk;

import dev.cwom.worker.WorkerProperties;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The worker's disk: run folders, the free-space guard and its health ({@code freeSpace}, in readiness). */
@Configuration(proxyBeanMethods = false)
class DiskConfiguration {

    @Bean
    FreeSpace freeSpace() {
        return FreeSpace.fileStores();
    }

    @Bean
    FreeSpaceGuard freeSpaceGuard(WorkerProperties properties, FreeSpace freeSpace) {
        return new FreeSpaceGuard(properties, freeSpace, Clock.systemUTC());
    }

    @Bean
    FreeSpaceHealth freeSpaceHealthIndicator(FreeSpaceGuard guard) {
        return new FreeSpaceHealth(guard);
    }

    @Bean
    RunFolders runFolders(WorkerProperties properties) {
        return new RunFolders(properties, Clock.systemUTC());
    }
}
