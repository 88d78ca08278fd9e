package dev.cwom.worker;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * How work orders are picked up from {@code cwom.issues.ready.v1} and how run and artifact events are written back.
 * Client settings (bootstrap servers, security, {@code schema.registry.url} under {@code spring.kafka.properties})
 * come from {@code spring.kafka.*}; the settings that make pick-up exactly-once (manual commits, read_committed,
 * the transactional id {@code cwom-worker-<worker-id>}) are fixed and cannot be overridden there.
 *
 * @param enabled whether this instance takes work orders at all; default true
 * @param groupId the consumer group that all workers share; default {@code cwom-workers}
 * @param maxConcurrentRuns how many runs this instance executes at once, each from its own partition; default 12
 *     (the partitions of {@code cwom.issues.ready.v1}: a partition runs one work order at a time)
 * @param pollTimeout longest wait in one poll; bounds how late a heartbeat or a finished run is published; default
 *     100 ms
 * @param revocationGrace how long a rebalance that takes away a partition with a run in flight waits for that run
 *     before abandoning it (recorded failed, the work order runs again on the partition's new owner); it holds up
 *     the whole group's rebalance, so keep it short; default 5 s
 * @param redeliveryBackoff how long a partition rests after a transient failure (registry or blob store
 *     unreachable, transaction aborted) before its work order is tried again; default 5 s
 * @param recentWorkOrders how many handled work-order event ids this instance remembers <em>per partition</em> it
 *     owns, to skip duplicates the outbox relay may publish; also the window read back when a partition is
 *     assigned: the work orders at the last {@code recent-work-orders} offsets before the group's committed
 *     offset; 0 remembers nothing and reads nothing back; default 1000 (a duplicate follows its original by the
 *     work orders the relay published while ingest restarted, far fewer; a wider window costs a longer read-back)
 * @param readBackTimeout how long taking over partitions may spend reading back their handled work orders (the
 *     committed offsets included); what is not read by then is left out, with a warning; default 10 s
 * @param commitInterval how long run starts and run ends wait to be committed together in one Kafka transaction
 *     (with the offsets of the ended runs' work orders); 0 commits what one pass of the poll loop collected;
 *     default 50 ms
 * @param maxConcurrentShellRuns how many of those runs may be {@code shell} runs executing at once (each a
 *     sandbox with its processes, CPU and disk); a started shell run beyond them waits for one to end; default 2.
 *     Other executors ({@code noop}, {@code http}) wait on the network or nothing and run on virtual threads
 */
public record PickupSettings(@Nullable Boolean enabled, @Nullable String groupId, @Nullable Integer maxConcurrentRuns,
        @Nullable Duration pollTimeout, @Nullable Duration revocationGrace, @Nullable Duration redeliveryBackoff,
        @Nullable Integer recentWorkOrders, @Nullable Duration readBackTimeout, @Nullable Duration commitInterval,
        @Nullable Integer maxConcurrentShellRuns, @Nullable Mode mode, @Nullable ShareGroup share) {

    /** How a worker takes work orders: see docs/worker.md, "Share groups". */
    public enum Mode {
        /** A consumer group: a partition per worker, offsets committed in the run's transaction (the default). */
        CONSUMER_GROUP,
        /** A share group (KIP-932): any number of workers per partition, each work order held by a renewed lock. */
        SHARE_GROUP
    }

    /**
     * The share group's settings, applied to the group (as group configs) by every worker that joins it in
     * {@code share-group} mode.
     *
     * @param lockDuration {@code share.record.lock.duration.ms}: how long a work order stays with a worker that stops
     *     renewing its lock (a crashed one) before another worker gets it; a running worker renews it every third of
     *     it; default 30 s
     * @param deliveryCountLimit {@code share.delivery.count.limit}: a work order delivered this many times (each
     *     earlier worker lost it: crashed, or its run was abandoned) is rejected to {@code cwom.issues.rejected.v1}
     *     with reason {@code DELIVERY_LIMIT} instead of being run once more; default 5
     */
    public record ShareGroup(@Nullable Duration lockDuration, @Nullable Integer deliveryCountLimit) {

        public ShareGroup {
            lockDuration = WorkerProperties.or(lockDuration, Duration.ofSeconds(30));
            deliveryCountLimit = WorkerProperties.or(deliveryCountLimit, 5);
            if (deliveryCountLimit < 2) {
                throw new IllegalArgumentException("cwom.worker.pickup.share.delivery-count-limit is "
                        + deliveryCountLimit + "; it must be at least 2");
            }
        }
    }

    /** Settings of a consumer-group worker. */
    public PickupSettings(@Nullable Boolean enabled, @Nullable String groupId, @Nullable Integer maxConcurrentRuns,
            @Nullable Duration pollTimeout, @Nullable Duration revocationGrace, @Nullable Duration redeliveryBackoff,
            @Nullable Integer recentWorkOrders, @Nullable Duration readBackTimeout, @Nullable Duration commitInterval,
            @Nullable Integer maxConcurrentShellRuns) {
        this(enabled, groupId, maxConcurrentRuns, pollTimeout, revocationGrace, redeliveryBackoff, recentWorkOrders,
                readBackTimeout, commitInterval, maxConcurrentShellRuns, null, null);
    }

    /** The same settings in {@code mode}. */
    public PickupSettings withMode(Mode newMode) {
        return new PickupSettings(enabled, groupId, maxConcurrentRuns, pollTimeout, revocationGrace,
                redeliveryBackoff, recentWorkOrders, readBackTimeout, commitInterval, maxConcurrentShellRuns, newMode,
                share);
    }

    /**
     * The share group's id, {@code <group-id>-share}: a group id names either a consumer group or a share group, so
     * workers of both modes can meet on one cluster (during a switch) without clashing.
     */
    public String shareGroupId() {
        return groupId + "-share";
    }

    /** Whether this worker takes work orders through a share group. */
    public boolean shareGroup() {
        return mode == Mode.SHARE_GROUP;
    }

    @ConstructorBinding // the one Spring binds; the shorter one is for code
    public PickupSettings {
        enabled = WorkerProperties.or(enabled, true);
        groupId = WorkerProperties.or(groupId, "cwom-workers");
        maxConcurrentRuns = WorkerProperties.or(maxConcurrentRuns, 12);
        if (maxConcurrentRuns < 1) {
            throw new IllegalArgumentException("cwom.worker.pickup.max-concurrent-runs is " + maxConcurrentRuns
                    + "; it must be at least 1");
        }
        pollTimeout = WorkerProperties.or(pollTimeout, Duration.ofMillis(100));
        revocationGrace = WorkerProperties.or(revocationGrace, Duration.ofSeconds(5));
        redeliveryBackoff = WorkerProperties.or(redeliveryBackoff, Duration.ofSeconds(5));
        recentWorkOrders = WorkerProperties.or(recentWorkOrders, 1_000);
        if (recentWorkOrders < 0) {
            throw new IllegalArgumentException("cwom.worker.pickup.recent-work-orders is " + recentWorkOrders
                    + "; use 0 to remember none, or a positive count");
        }
        readBackTimeout = WorkerProperties.or(readBackTimeout, Duration.ofSeconds(10));
        commitInterval = WorkerProperties.or(commitInterval, Duration.ofMillis(50));
        if (commitInterval.isNegative()) {
            throw new IllegalArgumentException("cwom.worker.pickup.commit-interval is " + commitInterval
                    + "; it must be 0 or more");
        }
        maxConcurrentShellRuns = WorkerProperties.or(maxConcurrentShellRuns, 2);
        mode = WorkerProperties.or(mode, Mode.CONSUMER_GROUP);
        share = WorkerProperties.or(share, new ShareGroup(null, null));
        if (maxConcurrentShellRuns < 1) {
            throw new IllegalArgumentException("cwom.worker.pickup.max-concurrent-shell-runs is "
                    + maxConcurrentShellRuns + "; it must be at least 1");
        }
    }
}
