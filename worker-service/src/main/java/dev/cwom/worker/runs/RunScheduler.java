package dev.cwom.worker.runs;

import dev.cwom.worker.WorkerProperties;
import dev.cwom.worker.disk.RunFolders;
import dev.cwom.worker.execution.ExecutedRun;
import dev.cwom.worker.execution.RunCancellation;
import dev.cwom.worker.execution.RunExecution;
import dev.cwom.worker.executors.ShellExecutor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs in flight: each on an executor thread, at most one per partition (so that a partition's committed offset
 * is always that of its next unfinished work order) and at most {@code pickup.max-concurrent-runs} in all, of which
 * at most {@code pickup.max-concurrent-shell-runs} shell runs execute at once (a started one beyond them waits for a
 * thread; it heartbeats meanwhile). Used by the
 * poll thread only, except for the executor threads themselves; it never touches Kafka.
 */
final class RunScheduler {

    private static final Logger log = LoggerFactory.getLogger(RunScheduler.class);

    private final WorkerProperties properties;
    private final RunExecution execution;
    private final RunFolders folders;
    private final CanceledIssues canceledIssues;
    private final Set<String> executing = ConcurrentHashMap.newKeySet();
    private final AtomicInteger runThreads = new AtomicInteger();
    // by run id: under a share group two runs may come from one partition
    private final Map<String, RunInFlight> inFlight = new LinkedHashMap<>();
    private volatile Pools pools;

    RunScheduler(WorkerProperties properties, RunExecution execution, RunFolders folders,
            CanceledIssues canceledIssues) {
        this.properties = properties;
        this.execution = execution;
        this.folders = folders;
        this.canceledIssues = canceledIssues;
        this.pools = newPools();
    }

    /**
     * Threads for runs, new per start since stopping shuts the last ones down: a virtual thread per run for
     * executors that mostly wait (noop, http), a bounded pool of platform threads for shell runs, whose sandboxes
     * take real CPU, memory and disk.
     */
    private Pools newPools() {
        return new Pools(Executors.newThreadPerTaskExecutor(Thread.ofVirtual()
                .name("cwom-run-" + properties.workerId() + "-v", 1).factory()),
                Executors.newFixedThreadPool(properties.pickup().maxConcurrentShellRuns(), r -> {
                    Thread t = new Thread(r, "cwom-run-" + properties.workerId() + "-shell-"
                            + runThreads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }));
    }

    private record Pools(ExecutorService waiting, ExecutorService shell) {

        ExecutorService forExecutor(String name) {
            return ShellExecutor.NAME.equals(name) ? shell : waiting;
        }

        boolean isShutdown() {
            return waiting.isShutdown();
        }

        void shutdownNow() {
            waiting.shutdownNow();
            shell.shutdownNow();
        }
    }

    /** Ready to run again after {@link #shutdown()}. */
    void open() {
        if (pools.isShutdown()) {
            pools = newPools();
        }
    }

    /** Interrupts what still runs; the loop has ended. */
    void shutdown() {
        pools.shutdownNow();
    }

    /** The ids of the runs whose executor is running now: the start-up sweep leaves their folders alone. */
    Set<String> executing() {
        return Set.copyOf(executing);
    }

    /** Hands a started run to an executor thread. */
    RunInFlight submit(Attempt attempt) {
        RunCancellation cancellation = new RunCancellation();
        RunTask task = new RunTask(attempt.run(), cancellation, execution, folders, executing);
        Future<ExecutedRun> result = pools.forExecutor(attempt.run().executor().name()).submit(task);
        RunInFlight run = new RunInFlight(attempt, task, result, cancellation,
                attempt.startedAt().plus(properties.heartbeatInterval()));
        inFlight.put(attempt.runId(), run);
        return run;
    }

    boolean busy(TopicPartition partition) {
        return inFlight.values().stream().anyMatch(r -> r.attempt.partition().equals(partition));
    }

    boolean full() {
        return inFlight.size() >= properties.pickup().maxConcurrentRuns();
    }

    int size() {
        return inFlight.size();
    }

    boolean isEmpty() {
        return inFlight.isEmpty();
    }

    /** Takes the run of {@code partition} out of the scheduler's hands, or null if it has none. */
    @Nullable RunInFlight remove(TopicPartition partition) {
        RunInFlight run = inFlight.values().stream().filter(r -> r.attempt.partition().equals(partition))
                .findFirst().orElse(null);
        return run == null ? null : inFlight.remove(run.attempt.runId());
    }

    /** Takes every run out of the scheduler's hands. */
    List<RunInFlight> removeAll() {
        List<RunInFlight> all = new ArrayList<>(inFlight.values());
        inFlight.clear();
        return all;
    }

    /** Takes out the runs whose executor has returned (or failed), in the order they were started. */
    List<RunInFlight> removeEnded() {
        List<RunInFlight> ended = new ArrayList<>();
        for (RunInFlight run : List.copyOf(inFlight.values())) {
            if (run.result.isDone()) {
                inFlight.remove(run.attempt.runId());
                ended.add(run);
            }
        }
        return ended;
    }

    /** The runs still executing whose heartbeat is due {@code now}; their next one is then an interval later. */
    List<RunInFlight> dueHeartbeats(Instant now) {
        List<RunInFlight> due = inFlight.values().stream()
                .filter(f -> !f.result.isDone() && !now.isBefore(f.nextHeartbeat)).toList();
        // A lost heartbeat is not retried: the next one is due an interval later either way.
        due.forEach(f -> f.nextHeartbeat = now.plus(properties.heartbeatInterval()));
        return due;
    }

    /** Asks the runs whose Issue was canceled, or attempt withdrawn, to stop; they end and finish canceled. */
    void stopCanceled() {
        for (RunInFlight run : inFlight.values()) {
            if (run.cancelAsked || run.result.isDone()) {
                continue;
            }
            String stopped = canceledIssues.stops(run.attempt.order().getIssueId(), run.attempt.order().getAttempt());
            if (stopped == null) {
                continue;
            }
            run.cancelAsked = true;
            if (run.cancellation.cancel(stopped)) {
                log.info("Worker {}: stopping run {} at {}: {}", properties.workerId(), run.attempt.runId(),
                        run.attempt.position(), stopped);
            }
        }
    }
}
