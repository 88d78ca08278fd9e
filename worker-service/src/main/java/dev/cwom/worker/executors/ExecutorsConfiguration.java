package dev.cwom.worker.executors;

import dev.cwom.worker.WorkerProperties;
import java.time.Clock;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The built-in executors and the registry that chooses among them (and any other {@link Executor} bean). */
@Configuration(proxyBeanMethods = false)
class ExecutorsConfiguration {

    @Bean
    NoopExecutor noopExecutor() {
        return new NoopExecutor();
    }

    @Bean
    ShellExecutor shellExecutor(WorkerProperties properties) {
        ShellExecutor shell = new ShellExecutor(properties.shell(), properties.executors().defaultTimeBudget(),
                Clock.systemUTC());
        ShellIsolationReport.atStartUp(properties.shell(), shell);
        return shell;
    }

    @Bean
    ShellIsolationHealth shellIsolationHealthIndicator(WorkerProperties properties, ShellExecutor shell) {
        return new ShellIsolationHealth(properties.shell(), shell);
    }

    /** Before any run: what a previous instance left in the work root goes; the lock is held until shutdown. */
    @Bean(destroyMethod = "close")
    WorkRootSweep workRootSweep(WorkerProperties properties) {
        return WorkRootSweep.sweep(properties.workRoot());
    }

    @Bean
    HttpExecutor httpExecutor(WorkerProperties properties) {
        return new HttpExecutor(properties.http(), properties.executors().defaultTimeBudget(), Clock.systemUTC());
    }

    @Bean
    ExecutorRegistry executorRegistry(List<Executor> executors, WorkerProperties properties) {
        return new ExecutorRegistry(executors, properties.executors().byType());
    }
}
