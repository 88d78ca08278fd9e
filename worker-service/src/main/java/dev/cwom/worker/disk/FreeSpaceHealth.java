package dev.cwom.worker.disk;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code freeSpace} in {@code /actuator/health} and in the readiness group ({@code /actuator/health/readiness}):
 * OUT_OF_SERVICE while pick-up is paused for lack of free space, UP otherwise; the details name each root with its
 * free space and limit. Liveness does not include it: a full disk is no reason to restart the worker.
 */
final class FreeSpaceHealth implements HealthIndicator {

    private final FreeSpaceGuard guard;

    FreeSpaceHealth(FreeSpaceGuard guard) {
        this.guard = guard;
    }

    @Override
    public Health health() {
        FreeSpaceGuard.Report report = guard.report();
        Health.Builder health = report.paused() ? Health.outOfService()
                .withDetail("reason", "free space is low, pick-up is paused: " + report.lowRoots()) : Health.up();
        for (FreeSpaceGuard.Measured root : report.roots()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("path", root.path().toString());
            if (root.error() != null) {
                details.put("error", root.error());
            } else {
                details.put("free_bytes", root.usableBytes());
                details.put("total_bytes", root.totalBytes());
                details.put("threshold_bytes", root.limitBytes());
                details.put("low", root.low());
            }
            health.withDetail(root.setting().substring(root.setting().lastIndexOf('.') + 1), details);
        }
        return health.withDetail("checked_at", report.checkedAt().toString()).build();
    }
}
