package dev.cwom.worker.runs;

import dev.cwom.worker.WorkerProperties;
import dev.cwom.worker.disk.FreeSpaceGuard;
import dev.cwom.worker.disk.RunFolders;
import dev.cwom.worker.execution.RunExecution;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The pick-up loop and what it needs; Kafka client settings come from {@code spring.kafka.*}. */
@Configuration(proxyBeanMethods = false)
class RunsConfiguration {

    @Bean
    PickupClients pickupClients(KafkaProperties kafka, WorkerProperties properties, MeterRegistry registry) {
        return new PickupClients(kafka.buildConsumerProperties(), kafka.buildProducerProperties(), properties,
                registry);
    }

    @Bean
    PickupLoop pickupLoop(WorkerProperties properties, PickupClients clients, RunExecution execution,
            RunFolders folders, FreeSpaceGuard freeSpace) {
        return new PickupLoop(properties, clients, PickupTopics.standard(), execution, Clock.systemUTC(), folders,
                freeSpace);
    }

    @Bean
    PickupHealth pickupHealth(PickupLoop loop) {
        return new PickupHealth(loop);
    }
}
