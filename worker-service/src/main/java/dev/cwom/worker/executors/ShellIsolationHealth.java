package dev.cwom.worker.executors;

import dev.cwom.worker.WorkerProperties;
import java.util.Optional;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code shellIsolation} in {@code /actuator/health}: always UP (the worker still runs every other executor, and
 * readiness is not affected), with details saying whether shell runs are sandboxed, refused for want of a sandbox,
 * or run unsandboxed because the operator set {@code cwom.worker.shell.isolation=NONE}.
 */
final class ShellIsolationHealth implements HealthIndicator {

    private final WorkerProperties.Shell settings;
    private final ShellExecutor shell;

    ShellIsolationHealth(WorkerProperties.Shell settings, ShellExecutor shell) {
        this.settings = settings;
        this.shell = shell;
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up().withDetail("isolation", settings.isolation().name());
        if (settings.isolation() == WorkerProperties.Isolation.NONE) {
            return health.withDetail("warning", ShellIsolationReport.UNSANDBOXED).build();
        }
        try {
            Optional<String> unavailable = shell.sandboxUnavailable();
            return unavailable.map(reason -> health.withDetail("shell_runs", "refused: " + reason))
                    .orElseGet(() -> health.withDetail("shell_runs", "sandboxed with " + settings.bwrapPath()))
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return health.withDetail("shell_runs", "not probed yet (interrupted)").build();
        }
    }
}
