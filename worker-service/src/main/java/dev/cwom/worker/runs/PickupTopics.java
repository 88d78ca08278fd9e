package dev.cwom.worker.runs;

import dev.cwom.events.Topics;

/**
 * The topics the pick-up loop reads and writes. Production uses {@link #standard()}; tests that share one broker give
 * each test its own set with {@link #suffixed(String)} so that workers of one test never see another's work orders.
 *
 * @param workOrders where work orders are consumed ({@code cwom.issues.ready.v1})
 * @param runs where RunStarted, RunHeartbeat and RunFinished go ({@code cwom.runs.v1})
 * @param artifacts where ArtifactCreated goes ({@code cwom.artifacts.v1})
 * @param rejected where unreadable work orders go ({@code cwom.issues.rejected.v1})
 * @param canceled where canceled Issues are followed ({@code cwom.issues.canceled.v1}, {@link CanceledIssues})
 */
public record PickupTopics(String workOrders, String runs, String artifacts, String rejected, String canceled) {

    public static PickupTopics standard() {
        return new PickupTopics(Topics.ISSUES_READY, Topics.RUNS, Topics.ARTIFACTS, Topics.ISSUES_REJECTED,
                Topics.ISSUES_CANCELED);
    }

    /** The standard topics with {@code suffix} appended to each name. */
    public static PickupTopics suffixed(String suffix) {
        return new PickupTopics(Topics.ISSUES_READY + suffix, Topics.RUNS + suffix, Topics.ARTIFACTS + suffix,
                Topics.ISSUES_REJECTED + suffix, Topics.ISSUES_CANCELED + suffix);
    }
}
