package dev.cwom.worker.runs;

import dev.cwom.model.FailureCategory;
import dev.cwom.service.kafka.RejectionMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Set;

/**
 * The worker's runs as an operator watches them; each is counted once its transaction committed (an aborted one is
 * redelivered and counted when it commits):
 *
 * <ul>
 *   <li>{@code cwom_work_orders_picked_up_total}: work orders taken from {@code cwom.issues.ready.v1} (duplicates,
 *       canceled and rejected ones included);</li>
 *   <li>{@code cwom_runs_started_total{executor}} and {@code cwom_runs_finished_total{executor, status,
 *       failure_category}} ({@code failure_category} is {@code none} unless the status is {@code failed});</li>
 *   <li>{@code cwom_run_duration_seconds{executor, status}} (start to end) and {@code cwom_run_queue_wait_seconds}
 *       (the work order's {@code occurred_at}, when the Issue became ready, to the run's start): histograms;</li>
 *   <li>{@code cwom_run_heartbeats_total}, and {@code cwom_worker_commit_batch_size}: starts and ends per
 *       committed transaction (how well the commit interval groups them);</li>
 *   <li>rejected work orders in the shared {@code cwom_records_rejected_total} ({@link RejectionMetrics}).</li>
 * </ul>
 *
 * <p>{@code executor} is a configured executor's name, or {@code other} when an Issue asked for one this worker
 * does not have: the tag never takes a value from outside the configuration.
 */
final class RunMetrics {

    static final String PICKED_UP = "cwom.work.orders.picked.up";
    static final String STARTED = "cwom.runs.started";
    static final String FINISHED = "cwom.runs.finished";
    static final String DURATION = "cwom.run.duration";
    static final String QUEUE_WAIT = "cwom.run.queue.wait";
    static final String HEARTBEATS = "cwom.run.heartbeats";
    static final String COMMIT_BATCH = "cwom.worker.commit.batch.size";

    private static final Duration MAX_EXPECTED = Duration.ofHours(2);

    private final MeterRegistry registry;
    private final Set<String> executors;
    private final RejectionMetrics rejections;
    private final Counter pickedUp;
    private final Counter heartbeats;
    private final DistributionSummary commitBatch;
    private final Timer queueWait;

    /** @param executors the configured executors' names */
    RunMetrics(MeterRegistry registry, Collection<String> executors) {
        this.registry = registry;
        this.executors = Set.copyOf(executors);
        this.rejections = new RejectionMetrics(registry);
        pickedUp = Counter.builder(PICKED_UP).description("work orders taken").register(registry);
        heartbeats = Counter.builder(HEARTBEATS).description("run heartbeats published").register(registry);
        commitBatch = DistributionSummary.builder(COMMIT_BATCH).description("run starts and ends per transaction")
                .publishPercentileHistogram().maximumExpectedValue(1000.0).register(registry);
        queueWait = Timer.builder(QUEUE_WAIT).description("from the Issue becoming ready to its run's start")
                .publishPercentileHistogram().maximumExpectedValue(MAX_EXPECTED).register(registry);
    }

    void pickedUp() {
        pickedUp.increment();
    }

    /** A committed {@code RunStarted}. */
    void started(Attempt attempt) {
        registry.counter(STARTED, "executor", executor(attempt)).increment();
        Instant ready = attempt.order().getOccurredAt();
        if (ready != null) {
            queueWait.record(nonNegative(Duration.between(ready, attempt.startedAt())));
        }
    }

    /** A committed {@code RunFinished}. */
    void finished(Attempt attempt, String status, String failureCategory, Instant endedAt) {
        String executor = executor(attempt);
        registry.counter(FINISHED, "executor", executor, "status", status, "failure_category", failureCategory)
                .increment();
        Timer.builder(DURATION).description("runs from start to end").tags("executor", executor, "status", status)
                .publishPercentileHistogram().maximumExpectedValue(MAX_EXPECTED).register(registry)
                .record(nonNegative(Duration.between(attempt.startedAt(), endedAt)));
    }

    /**
     * A committed end, read from its {@link Committer.Ending#outcome()}: {@code done}, {@code canceled} or
     * {@code failed (<category>)}.
     */
    void finished(Committer.Ending ending, Instant endedAt) {
        String outcome = ending.outcome();
        int open = outcome.indexOf(" (");
        if (open < 0) {
            finished(ending.attempt(), outcome, "none", endedAt);
        } else {
            finished(ending.attempt(), outcome.substring(0, open),
                    outcome.substring(open + 2, outcome.length() - 1), endedAt);
        }
    }

    void failed(Attempt attempt, FailureCategory category, Instant endedAt) {
        finished(attempt, "failed", category.value(), endedAt);
    }

    void heartbeats(int runs) {
        heartbeats.increment(runs);
    }

    void committed(int startsAndEnds) {
        commitBatch.record(startsAndEnds);
    }

    void rejected(String rejectedTopic, String reasonCode) {
        rejections.rejected(rejectedTopic, reasonCode);
    }

    private String executor(Attempt attempt) {
        String name = attempt.run().executor().name();
        return executors.contains(name) ? name : "other";
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
