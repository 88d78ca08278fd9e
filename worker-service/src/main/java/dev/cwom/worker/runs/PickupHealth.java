package dev.cwom.worker.runs;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code pickup} in {@code /actuator/health}: DOWN when the loop stopped because another instance took its
 * transactional id (the instance runs but does no work until restarted with its own worker id); otherwise UP with
 * the partitions it owns and the runs it finished.
 */
final class PickupHealth implements HealthIndicator {

    private final PickupLoop loop;

    PickupHealth(PickupLoop loop) {
        this.loop = loop;
    }

    @Override
    public Health health() {
        String fenced = loop.fenced();
        if (fenced != null) {
            return Health.down().withDetail("reason", fenced).build();
        }
        return Health.up()
                .withDetail("running", loop.isRunning())
                .withDetail("partitions", loop.assignment().size())
                .withDetail("finished_runs", loop.finishedRuns())
                .build();
    }
}
