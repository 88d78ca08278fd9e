package dev.cwom.worker.runs;

import dev.cwom.worker.WorkerProperties;
import dev.cwom.worker.disk.FreeSpace;
import dev.cwom.worker.disk.FreeSpaceGuard;
import dev.cwom.worker.disk.RunFolders;
import dev.cwom.worker.execution.RunExecution;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The worker's pick-up, as Spring starts and stops it: take a work order, run it, publish what happened together
 * with the work order's offset. This class is the lifecycle; a {@link PickupSession} (one consumer and one
 * transactional producer, on one thread) does the work and is replaced by a new one when its clients break:
 *
 * <ul>
 *   <li>{@link PickupSession}: the poll loop, which partitions may deliver, shutdown;</li>
 *   <li>{@link PartitionChanges}: what a rebalance does to runs in flight, and the read-back of handled work orders
 *       ({@link WorkOrderReadBack}) on assignment;</li>
 *   <li>{@link WorkOrderIntake}: decoding, the de-duplication ({@link RecentWorkOrders}) and cancellation or withdrawal
 *       ({@link CanceledIssues}) filters, preparing a run;</li>
 *   <li>{@link RunScheduler}: runs on executor threads, heartbeats, stopping canceled runs;</li>
 *   <li>{@link RunEnds}: what an ended run publishes, and what happens to its folders;</li>
 *   <li>{@link Committer}: the transactional producer, the offsets, starts and finishes committed in groups.</li>
 * </ul>
 *
 * <p>Whatever is not committed is redelivered and runs again as a new attempt with a new run id; the sink reaps the
 * abandoned one. A fenced producer ends this instance's pick-up for good ({@link #fenced()}); any other broken
 * session is followed by a new one after a second.
 */
public final class PickupLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PickupLoop.class);
    private static final Duration SESSION_RETRY = Duration.ofSeconds(1);

    private final WorkerProperties properties;
    private final PickupClients clients;
    private final PickupTopics topics;
    private final RunExecution execution;
    private final RunEvents events;
    private final Clock clock;
    private final RecentWorkOrders recent;
    private final CanceledIssues canceledIssues;
    private final RunFolders folders;
    private final FreeSpaceGuard freeSpace;
    private final RunScheduler scheduler;
    private final RunMetrics metrics;

    private final Object lifecycle = new Object();
    private volatile @Nullable Thread thread;
    private volatile boolean stopRequested;
    private volatile boolean halted;
    private volatile Set<TopicPartition> assignment = Set.of();
    private volatile boolean revoking;
    private volatile @Nullable String fenced;
    private final AtomicInteger finishedRuns = new AtomicInteger();
    private @Nullable Runnable onStopped;

    /** A loop that measures free space on the file systems of its roots. */
    public PickupLoop(WorkerProperties properties, PickupClients clients, PickupTopics topics, RunExecution execution,
            Clock clock) {
        this(properties, clients, topics, execution, clock, new RunFolders(properties, clock),
                new FreeSpaceGuard(properties, FreeSpace.fileStores(), clock));
    }

    public PickupLoop(WorkerProperties properties, PickupClients clients, PickupTopics topics, RunExecution execution,
            Clock clock, RunFolders folders, FreeSpaceGuard freeSpace) {
        this.properties = properties;
        this.clients = clients;
        this.topics = topics;
        this.execution = execution;
        this.events = new RunEvents(properties.workerId());
        this.clock = clock;
        this.recent = new RecentWorkOrders(properties.pickup().recentWorkOrders());
        this.canceledIssues = new CanceledIssues(clients, topics.canceled(), clock, properties.workerId(),
                properties.pickup().pollTimeout());
        this.folders = folders;
        this.freeSpace = freeSpace;
        this.scheduler = new RunScheduler(properties, execution, folders, canceledIssues);
        this.metrics = new RunMetrics(clients.registry(), execution.executorNames());
    }

    // ---- lifecycle --------------------------------------------------------------------------------------------

    @Override
    public void start() {
        synchronized (lifecycle) {
            if (thread != null) {
                return;
            }
            stopRequested = false;
            halted = false;
            scheduler.open();
            // Before the first work order: what an earlier instance left would otherwise stay for ever.
            folders.sweep(scheduler.executing());
            canceledIssues.start();
            Thread t = new Thread(this::runSessions, "cwom-pickup-" + properties.workerId());
            thread = t;
            t.start();
        }
    }

    /** Stops taking work, lets running runs finish within the shutdown grace, and returns when the loop has ended. */
    @Override
    public void stop() {
        Thread t;
        synchronized (lifecycle) {
            t = thread;
            stopRequested = true;
        }
        join(t, properties.shutdownGrace().plus(properties.pickup().revocationGrace()).plusSeconds(30));
    }

    @Override
    public void stop(Runnable callback) {
        synchronized (lifecycle) {
            if (thread == null) {
                callback.run();
                return;
            }
            onStopped = callback;
            stopRequested = true;
        }
    }

    /**
     * What a crash looks like to Kafka: the loop ends at once, nothing more is published or committed, running
     * attempts are abandoned to the reaper and their work orders to redelivery. For fault tests.
     */
    public void halt() {
        Thread t;
        synchronized (lifecycle) {
            t = thread;
            halted = true;
            stopRequested = true;
        }
        join(t, Duration.ofSeconds(30));
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    @Override
    public boolean isAutoStartup() {
        return properties.pickup().enabled();
    }

    /** The partitions this instance owns right now. */
    public Set<TopicPartition> assignment() {
        return assignment;
    }

    /**
     * Why this instance stopped for good, or null: another producer with its transactional id fenced it, so another
     * instance runs with the same {@code cwom.worker.worker-id} (or this one was a zombie and was replaced).
     */
    public @Nullable String fenced() {
        return fenced;
    }

    /** Whether a rebalance is waiting for runs of partitions it takes away from this instance. */
    public boolean revoking() {
        return revoking;
    }

    /** The canceled Issues this instance knows of. */
    public CanceledIssues canceledIssues() {
        return canceledIssues;
    }

    /** How many runs this instance finished (committed), since it was created. */
    public int finishedRuns() {
        return finishedRuns.get();
    }

    private static void join(@Nullable Thread t, Duration timeout) {
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        try {
            t.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runSessions() {
        try {
            while (!stopRequested) {
                try (Session session = properties.pickup().shareGroup() ? new ShareSession(this)
                        : new PickupSession(this)) {
                    session.run();
                } catch (Transactions.Fenced e) {
                    // Starting again would fence the other instance in turn: the two would take turns failing.
                    fenced = e.getMessage();
                    log.error("Worker {}: stopped taking work orders: {}", properties.workerId(), e.getMessage(), e);
                    break;
                } catch (RuntimeException e) {
                    if (e.getCause() instanceof Transactions.Fenced fencedInCallback) {
                        fenced = fencedInCallback.getMessage();
                        log.error("Worker {}: stopped taking work orders: {}", properties.workerId(),
                                fenced, e);
                        break;
                    }
                    if (stopRequested) {
                        break;
                    }
                    log.error("Worker {}: pick-up session ended by {}; running attempts are abandoned and their work"
                            + " orders will be redelivered; starting a new session in {} ms", properties.workerId(),
                            e.toString(), SESSION_RETRY.toMillis(), e);
                    sleep(SESSION_RETRY);
                }
            }
        } finally {
            Runnable callback;
            synchronized (lifecycle) {
                // Inside the lock: a start() that follows must find the executor threads shut down and make new ones.
                scheduler.shutdown();
                canceledIssues.stop();
                thread = null;
                assignment = Set.of();
                callback = onStopped;
                onStopped = null;
            }
            log.info("Worker {}: pick-up loop stopped", properties.workerId());
            if (callback != null) {
                callback.run();
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- what a session shares with the loop that outlives it ---------------------------------------------------

    WorkerProperties properties() {
        return properties;
    }

    PickupClients clients() {
        return clients;
    }

    PickupTopics topics() {
        return topics;
    }

    RunExecution execution() {
        return execution;
    }

    RunEvents events() {
        return events;
    }

    RunMetrics metrics() {
        return metrics;
    }

    Clock clock() {
        return clock;
    }

    RecentWorkOrders recent() {
        return recent;
    }

    RunFolders folders() {
        return folders;
    }

    FreeSpaceGuard freeSpace() {
        return freeSpace;
    }

    RunScheduler scheduler() {
        return scheduler;
    }

    boolean stopRequested() {
        return stopRequested;
    }

    boolean halted() {
        return halted;
    }

    void assignment(Set<TopicPartition> owned) {
        assignment = Set.copyOf(owned);
    }

    void revoking(boolean waiting) {
        revoking = waiting;
    }

    void countFinished() {
        finishedRuns.incrementAndGet();
    }
}
