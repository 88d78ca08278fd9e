package dev.cwom.worker.runs;

import dev.cwom.events.WorkOrder;
import dev.cwom.model.FailureCategory;
import dev.cwom.model.Ids;
import dev.cwom.serde.AvroSerdeException;
import dev.cwom.serde.KafkaAvroDeserializer;
import dev.cwom.serde.SerdeErrors;
import dev.cwom.worker.WorkerProperties;
import dev.cwom.worker.blobs.BlobRejectedException;
import dev.cwom.worker.blobs.BlobStoreUnavailableException;
import dev.cwom.worker.disk.FreeSpace;
import dev.cwom.worker.disk.FreeSpaceGuard;
import dev.cwom.worker.disk.RunFolders;
import dev.cwom.worker.execution.ExecutedRun;
import dev.cwom.worker.execution.PreparedRun;
import dev.cwom.worker.execution.PublishedArtifact;
import dev.cwom.worker.execution.RunCancellation;
import dev.cwom.worker.execution.RunExecution;
import dev.cwom.worker.executors.PinnedInput;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The worker's one workflow: take a work order, run it, publish what happened together with the work order's offset.
 * One thread owns the consumer (group {@code cwom-workers}, read_committed, manual commits, cooperative-sticky) and
 * the one transactional producer; executors run on a bounded pool and never touch Kafka.
 *
 * <ol>
 *   <li>Read a work order. One that cannot be decoded goes to {@code cwom.issues.rejected.v1} with its bytes and a
 *       reason, committed in the same transaction as its offset. One whose event id was handled recently on its
 *       partition is skipped (its offset committed alone): finished by this instance, or read back from just before
 *       the group's committed offset when the partition was assigned ({@link WorkOrderReadBack}).</li>
 *   <li>Create the Run (a new ULID per attempt) and prepare it ({@link RunExecution#prepare}: every input checked
 *       against its digest, pinned, the executor chosen), publish {@code RunStarted} at once in its own transaction,
 *       pause the partition and hand the run to an executor thread. Inputs that fail the check make a run that
 *       fails with {@code policy} without executing anything; it is finished like any other run. While it runs, publish {@code RunHeartbeat} every
 *       {@code cwom.worker.heartbeat-interval}; the poll thread keeps polling, so the group never loses this
 *       member.</li>
 *   <li>When the run has ended (outputs and trace bundle uploaded by the executor thread): one {@code ArtifactCreated}
 *       per output and one for the trace, {@code RunFinished}, and offset + 1, in one transaction; then resume the
 *       partition.</li>
 * </ol>
 *
 * <p>Whatever is not committed is redelivered and runs again as a new attempt with a new run id; the sink reaps the
 * abandoned one. Aborted transactions and unreachable registries or blob stores rest the partition for
 * {@code redelivery-backoff} and try again (an attempt whose finish was aborted is first recorded failed, without the
 * offset); a fenced or broken producer ends the session (consumer and producer
 * closed, running attempts abandoned) and a new one starts. A rebalance that revokes a partition with a run in flight
 * waits {@code revocation-grace} for it and commits inside the revocation, else abandons it (published failed without
 * the offset). Shutdown stops taking work and waits {@code shutdown-grace}, then records what is still running as
 * failed ({@code runtime}, "worker shut down") without its offset.
 *
 * <p>Canceled Issues and withdrawn attempts ({@link CanceledIssues}, followed from {@code cwom.issues.canceled.v1})
 * stop their work: a work order of an Issue already canceled, or whose attempt was withdrawn, is not run at all,
 * its offset committed alone (no Run is recorded: nothing started, and a Run that never ran would only be noise in
 * the Issue's history); a run in flight whose Issue is canceled, or attempt withdrawn, is stopped ({@link RunCancellation}) and finished like any other run, as {@code RunFinished} canceled with
 * its artifacts and its offset in one transaction.
 *
 * <p>The worker's disk ({@link RunFolders}, {@link FreeSpaceGuard}): a run's folders are deleted once its finish is
 * committed, and go to the bounded quarantine when the worker gives up on it (recorded failed without its trace, or
 * left to be redelivered); a start-up sweep removes what an earlier instance left. While free space is low no work
 * order is taken (every partition paused); runs in flight go on.
 */
public final class PickupLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PickupLoop.class);
    private static final Duration SESSION_RETRY = Duration.ofSeconds(1);

    private final WorkerProperties properties;
    private final WorkerProperties.Pickup settings;
    private final PickupClients clients;
    private final PickupTopics topics;
    private final RunExecution execution;
    private final RunEvents events;
    private final Clock clock;
    private final RecentWorkOrders recent;
    private final CanceledIssues canceledIssues;
    private final RunFolders folders;
    private final FreeSpaceGuard freeSpace;
    private final Set<String> executing = ConcurrentHashMap.newKeySet();
    private final AtomicInteger runThreads = new AtomicInteger();
    private volatile ExecutorService pool;

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
        this.settings = properties.pickup();
        this.clients = clients;
        this.topics = topics;
        this.execution = execution;
        this.events = new RunEvents(properties.workerId());
        this.clock = clock;
        this.recent = new RecentWorkOrders(settings.recentWorkOrders());
        this.canceledIssues = new CanceledIssues(clients, topics.canceled(), clock, properties.workerId(),
                settings.pollTimeout());
        this.folders = folders;
        this.freeSpace = freeSpace;
        this.pool = newPool();
    }

    /** Executor threads for runs; a new pool per start, since stopping shuts the last one down. */
    private ExecutorService newPool() {
        return Executors.newFixedThreadPool(settings.maxConcurrentRuns(), r -> {
            Thread t = new Thread(r, "cwom-run-" + properties.workerId() + "-" + runThreads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
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
            if (pool.isShutdown()) {
                pool = newPool();
            }
            // Before the first work order: what an earlier instance left would otherwise stay for ever.
            folders.sweep(Set.copyOf(executing));
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
        join(t, properties.shutdownGrace().plus(settings.revocationGrace()).plusSeconds(30));
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
        return settings.enabled();
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
                try (Session session = new Session()) {
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
                // Inside the lock: a start() that follows must find this pool shut down and make its own.
                pool.shutdownNow();
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

    // ---- one consumer + producer pair ----------------------------------------------------------------------------

    /** A run on an executor thread, as the poll thread tracks it. */
    private static final class InFlight {
        final Attempt attempt;
        final RunTask task;
        final Future<ExecutedRun> result;
        final RunCancellation cancellation;
        Instant nextHeartbeat;
        boolean cancelAsked;

        InFlight(Attempt attempt, RunTask task, Future<ExecutedRun> result, RunCancellation cancellation,
                Instant nextHeartbeat) {
            this.attempt = attempt;
            this.task = task;
            this.result = result;
            this.cancellation = cancellation;
            this.nextHeartbeat = nextHeartbeat;
        }
    }

    /** The outcome of handling one record. */
    private enum Step { DONE, STARTED, RETRY_LATER }

    private final class Session implements ConsumerRebalanceListener, AutoCloseable {

        private final KafkaConsumer<byte[], byte[]> consumer = clients.consumer();
        private final KafkaProducer<String, Object> producer;
        private final Transactions transactions;
        private final KafkaAvroDeserializer deserializer = clients.workOrderDeserializer();
        private final WorkOrderReadBack readBack = new WorkOrderReadBack(clients, deserializer,
                recent.capacity(), clock, properties.workerId());
        private final Map<TopicPartition, InFlight> inFlight = new LinkedHashMap<>();
        private final Map<TopicPartition, Instant> restingUntil = new HashMap<>();

        Session() {
            try {
                producer = clients.producer();
            } catch (RuntimeException e) {
                consumer.close();
                throw e;
            }
            transactions = new Transactions(producer, properties);
        }

        void run() {
            producer.initTransactions();
            // Cancellations known before the first work order is taken; later ones stop runs in flight.
            if (!canceledIssues.awaitCaughtUp(settings.readBackTimeout())) {
                log.warn("Worker {}: canceled Issues not read within {} ({}); taking work orders anyway: a work"
                        + " order of a canceled Issue may start and is stopped once its cancellation is read",
                        properties.workerId(), settings.readBackTimeout(), topics.canceled());
            }
            consumer.subscribe(List.of(topics.workOrders()), this);
            log.info("Worker {}: taking work orders from {} in group {} (transactional id {}, up to {} runs at once)",
                    properties.workerId(), topics.workOrders(), settings.groupId(),
                    PickupClients.transactionalId(properties), settings.maxConcurrentRuns());
            Instant drainDeadline = null;
            while (!halted) {
                if (stopRequested) {
                    if (drainDeadline == null) {
                        drainDeadline = clock.instant().plus(properties.shutdownGrace());
                        log.info("Worker {}: shutting down; taking no more work, waiting up to {} for {} running"
                                + " run(s)", properties.workerId(), properties.shutdownGrace(), inFlight.size());
                    }
                    if (inFlight.isEmpty()) {
                        return;
                    }
                    if (!clock.instant().isBefore(drainDeadline)) {
                        abandonAll(FailureCategory.RUNTIME, "worker shut down");
                        return;
                    }
                }
                applyPauses();
                ConsumerRecords<byte[], byte[]> records = consumer.poll(settings.pollTimeout());
                if (halted) {
                    return;
                }
                for (TopicPartition partition : records.partitions()) {
                    take(partition, records.records(partition));
                }
                stopCanceled();
                publishDueHeartbeats();
                finishEnded();
            }
        }

        // ---- taking work orders --------------------------------------------------------------------------------

        /**
         * Pauses what must not deliver: partitions with a run or resting, and everything when full, stopping or short
         * of free space.
         */
        private void applyPauses() {
            Set<TopicPartition> owned = consumer.assignment();
            Instant now = clock.instant();
            restingUntil.values().removeIf(until -> !now.isBefore(until));
            boolean takeNothing = stopRequested || inFlight.size() >= settings.maxConcurrentRuns()
                    || freeSpace.paused();
            Set<TopicPartition> pause = new HashSet<>();
            Set<TopicPartition> resume = new HashSet<>();
            for (TopicPartition partition : owned) {
                boolean hold = takeNothing || inFlight.containsKey(partition) || restingUntil.containsKey(partition);
                (hold ? pause : resume).add(partition);
            }
            consumer.pause(pause);
            resume.retainAll(consumer.paused());
            consumer.resume(resume);
        }

        private boolean canTake(TopicPartition partition) {
            return !stopRequested && !inFlight.containsKey(partition) && !restingUntil.containsKey(partition)
                    && inFlight.size() < settings.maxConcurrentRuns() && !freeSpace.paused();
        }

        private void take(TopicPartition partition, List<ConsumerRecord<byte[], byte[]>> records) {
            for (ConsumerRecord<byte[], byte[]> record : records) {
                if (!canTake(partition)) {
                    // Fetched before the partition was paused: read it again when it resumes.
                    consumer.seek(partition, record.offset());
                    return;
                }
                if (handle(record) == Step.RETRY_LATER) {
                    consumer.seek(partition, record.offset());
                    rest(partition);
                    return;
                }
            }
        }

        private void rest(TopicPartition partition) {
            restingUntil.put(partition, clock.instant().plus(settings.redeliveryBackoff()));
        }

        private Step handle(ConsumerRecord<byte[], byte[]> record) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            String position = partition + "@" + record.offset();
            WorkOrder order;
            try {
                Object value = deserializer.deserialize(record.topic(), record.value());
                if (!(value instanceof WorkOrder workOrder)) {
                    String what = value == null ? "a null value (tombstone)" : "a " + value.getClass().getName();
                    return reject(record, "UNEXPECTED_SCHEMA", "Record at " + position + " is " + what
                            + ", not a WorkOrder; only ingest's outbox relay may write to " + topics.workOrders());
                }
                order = workOrder;
            } catch (AvroSerdeException e) {
                if (SerdeErrors.isRetryable(e)) {
                    log.warn("Worker {}: cannot read work order at {} now ({}); trying again in {}",
                            properties.workerId(), position, e.getMessage(), settings.redeliveryBackoff());
                    return Step.RETRY_LATER;
                }
                return reject(record, e.reasonCode(), e.getMessage());
            }

            String handledBefore = recent.handled(partition, order.getEventId());
            if (handledBefore != null) {
                log.info("Worker {}: skipping duplicate work order {} for issue {} at {}: {}", properties.workerId(),
                        order.getEventId(), order.getIssueId(), position, handledBefore);
                return transactions.run("skip duplicate at " + position,
                        p -> commitOffset(p, partition, record.offset())) ? Step.DONE : Step.RETRY_LATER;
            }

            if (!Ids.isUlid(order.getIssueId()) || !Ids.isUlid(order.getRepoId())) {
                // Run events are keyed to an Issue and its Repo: without their ids there is no run to record.
                return reject(record, "VALIDATION_FAILED", "Work order " + order.getEventId() + " at " + position
                        + " has issue_id '" + order.getIssueId() + "' and repo_id '" + order.getRepoId()
                        + "'; both must be ULIDs, so no run can be attributed to it. Only ingest's outbox relay may"
                        + " write to " + topics.workOrders());
            }

            String stopped = canceledIssues.stops(order.getIssueId(), order.getAttempt());
            if (stopped != null) {
                log.info("Worker {}: not running work order {} at {}: {}; committing its offset without a run",
                        properties.workerId(), order.getEventId(), position, stopped);
                return transactions.run("skip work order of canceled Issue at " + position,
                        p -> commitOffset(p, partition, record.offset())) ? Step.DONE : Step.RETRY_LATER;
            }

            String runId = Ids.newUlid();
            PreparedRun prepared;
            try {
                prepared = execution.prepare(runId, inputs(order), order.getRequestedBy());
            } catch (RuntimeException e) {
                if (RunExecution.causedByIo(e)) {
                    // The trace or work folder cannot be made: nothing about the work order is wrong, try it later.
                    log.error("Worker {}: cannot prepare run {} for work order at {}: {}", properties.workerId(),
                            runId, position, e.toString());
                    return Step.RETRY_LATER;
                }
                // prepare() turns whatever the content causes into a refused run; this is a fault of the worker,
                // and the same work order would meet it on every attempt.
                log.error("Worker {}: cannot prepare run {} for work order at {}", properties.workerId(), runId,
                        position, e);
                return reject(record, "UNPREPARABLE", "Worker " + properties.workerId() + " could not prepare a"
                        + " run for work order " + order.getEventId() + " at " + position + ": " + e
                        + "; it is set aside here instead of being retried for ever");
            }
            if (prepared.refusal() != null) {
                // Still a run, recorded like any other: RunFinished failed (policy) with a trace, nothing executed.
                log.warn("Worker {}: run {} for issue {} at {} refuses its inputs: {}", properties.workerId(), runId,
                        order.getIssueId(), position, prepared.refusal());
            }
            Attempt attempt = new Attempt(prepared, order, partition, record.offset());
            if (!transactions.run("start run " + runId,
                    p -> p.send(new ProducerRecord<>(topics.runs(), runId, events.started(attempt))))) {
                // No run was recorded and nothing ran: its folders are nobody's.
                folders.remove(runId);
                return Step.RETRY_LATER;
            }
            RunCancellation cancellation = new RunCancellation();
            RunTask task = new RunTask(prepared, cancellation, execution, folders, executing);
            Future<ExecutedRun> result = pool.submit(task);
            inFlight.put(partition, new InFlight(attempt, task, result, cancellation,
                    prepared.startedAt().plus(properties.heartbeatInterval())));
            consumer.pause(List.of(partition));
            log.info("Worker {}: run {} started for issue {} (work order {} at {}) with executor {}",
                    properties.workerId(), runId, order.getIssueId(), order.getEventId(), position,
                    prepared.executor().name());
            return Step.STARTED;
        }

        private Step reject(ConsumerRecord<byte[], byte[]> record, String reasonCode, String message) {
            String position = record.topic() + "-" + record.partition() + "@" + record.offset();
            log.warn("Worker {}: rejecting work order at {} ({}): {}", properties.workerId(), position, reasonCode,
                    message);
            String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            return transactions.run("reject " + position, p -> {
                p.send(new ProducerRecord<>(topics.rejected(), key,
                        events.rejected(record, reasonCode, message, settings.groupId(), clock.instant())));
                commitOffset(p, partition, record.offset());
            }) ? Step.DONE : Step.RETRY_LATER;
        }

        // ---- while runs are in flight --------------------------------------------------------------------------

        /** Asks the runs whose Issue was canceled, or attempt withdrawn, to stop; they end and finish canceled. */
        private void stopCanceled() {
            for (InFlight run : inFlight.values()) {
                if (run.cancelAsked || run.result.isDone()) {
                    continue;
                }
                String stopped = canceledIssues.stops(run.attempt.order().getIssueId(),
                        run.attempt.order().getAttempt());
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

        private void publishDueHeartbeats() {
            Instant now = clock.instant();
            List<InFlight> due = inFlight.values().stream()
                    .filter(f -> !f.result.isDone() && !now.isBefore(f.nextHeartbeat)).toList();
            if (due.isEmpty()) {
                return;
            }
            transactions.run("heartbeat " + due.size() + " run(s)", p -> due.forEach(f -> p.send(
                    new ProducerRecord<>(topics.runs(), f.attempt.runId(), events.heartbeat(f.attempt, now)))));
            // A lost heartbeat is not retried: the next one is due an interval later either way.
            due.forEach(f -> f.nextHeartbeat = now.plus(properties.heartbeatInterval()));
        }

        private void finishEnded() {
            for (InFlight run : List.copyOf(inFlight.values())) {
                if (run.result.isDone()) {
                    inFlight.remove(run.attempt.partition());
                    finish(run, true);
                }
            }
        }

        /**
         * Publishes the end of a run with its offset. {@code owned} is false inside a revocation, where the
         * partition cannot be rewound because it is already someone else's to read.
         */
        private void finish(InFlight run, boolean owned) {
            Attempt attempt = run.attempt;
            ExecutedRun executed;
            try {
                executed = run.result.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof BlobStoreUnavailableException) {
                    abandon(run, FailureCategory.DEPENDENCY, "The blob store could not take the run's outputs: "
                            + cause.getMessage() + "; the work order will run again");
                    if (owned) {
                        consumer.seek(attempt.partition(), attempt.offset());
                        rest(attempt.partition());
                    }
                    return;
                }
                // A refused body or a broken trace folder: trying the same work order again gives the same answer.
                FailureCategory category = cause instanceof BlobRejectedException ? FailureCategory.RUNTIME
                        : FailureCategory.UNKNOWN;
                log.error("Worker {}: run {} at {} could not be completed", properties.workerId(), attempt.runId(),
                        attempt.position(), cause);
                String message = "Run " + attempt.runId() + " could not be completed: " + cause;
                commitEnd(attempt, "failed (" + category.value() + ")", owned, p -> p.send(new ProducerRecord<>(
                        topics.runs(), attempt.runId(), events.failed(attempt, category, message, clock.instant()))));
                // Its trace was not delivered: kept for an operator, whether or not the failure was committed.
                folders.quarantine(attempt.runId(), message);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while reading a finished run", e);
            } catch (CancellationException e) {
                return;
            }
            boolean committed = commitEnd(attempt, executed.failure() == null ? executed.status().value()
                    : "failed (" + executed.failure().category().value() + ")", owned, p -> {
                        Instant now = clock.instant();
                        for (PublishedArtifact artifact : executed.artifacts()) {
                            p.send(new ProducerRecord<>(topics.artifacts(), attempt.runId(),
                                    events.artifact(attempt, artifact, now)));
                        }
                        p.send(new ProducerRecord<>(topics.runs(), attempt.runId(),
                                events.finished(attempt, executed)));
                    });
            if (committed) {
                // Its trace bundle is in the blob store and the artifact that names it is committed.
                folders.remove(attempt.runId());
            } else {
                folders.quarantine(attempt.runId(), "the transaction that was to finish it was aborted; its work"
                        + " order runs again as a new attempt");
            }
        }

        /**
         * Publishes a run's end and commits its work order's offset in the same transaction. When that transaction
         * is aborted its events are gone and the work order runs again as a new attempt; the aborted attempt is
         * then recorded failed in a transaction of its own, without the offset, so that it does not stay
         * {@code running} until the sink's reaper finds it.
         *
         * @return whether the end was committed
         */
        private boolean commitEnd(Attempt attempt, String outcome, boolean owned,
                Consumer<KafkaProducer<String, Object>> events) {
            KafkaException aborted = transactions.tryRun("finish run " + attempt.runId(), p -> {
                events.accept(p);
                commitOffset(p, attempt.partition(), attempt.offset());
            });
            if (aborted == null) {
                finished(attempt, outcome);
                return true;
            }
            recordFailed(attempt, FailureCategory.RUNTIME, "The transaction that was to finish run "
                    + attempt.runId() + " (" + outcome + ") and commit its work order at " + attempt.position()
                    + " was aborted (" + aborted + "); its events are discarded and the work order runs again as a"
                    + " new attempt");
            if (owned) {
                consumer.seek(attempt.partition(), attempt.offset());
                rest(attempt.partition());
            }
            return false;
        }

        private void finished(Attempt attempt, String outcome) {
            recent.finished(attempt.partition(), attempt.order().getEventId(), attempt.runId());
            finishedRuns.incrementAndGet();
            log.info("Worker {}: run {} for issue {} {}; committed {}", properties.workerId(), attempt.runId(),
                    attempt.order().getIssueId(), outcome, attempt.position());
        }

        /** Stops a run and records it failed, without its offset: the work order will be read again. */
        private void abandon(InFlight run, FailureCategory category, String message) {
            run.task.abandon(message);
            run.result.cancel(true);
            Attempt attempt = run.attempt;
            log.warn("Worker {}: abandoning run {} for issue {} at {}: {}", properties.workerId(), attempt.runId(),
                    attempt.order().getIssueId(), attempt.position(), message);
            recordFailed(attempt, category, message);
        }

        /**
         * Publishes {@code RunFinished} failed for an attempt whose work order stays uncommitted. If this small
         * transaction is aborted too, the attempt is left to the sink's reaper.
         */
        private void recordFailed(Attempt attempt, FailureCategory category, String message) {
            transactions.run("record failed run " + attempt.runId(), p -> p.send(new ProducerRecord<>(topics.runs(),
                    attempt.runId(), events.failed(attempt, category, message, clock.instant()))));
        }

        private void abandonAll(FailureCategory category, String message) {
            for (InFlight run : List.copyOf(inFlight.values())) {
                inFlight.remove(run.attempt.partition());
                if (run.result.isDone()) {
                    finish(run, false);
                } else {
                    abandon(run, category, message);
                }
            }
        }

        // ---- rebalances ----------------------------------------------------------------------------------------

        /**
         * Runs on the poll thread inside {@code poll}, before anything of the new partitions is fetched: reads back
         * their handled work orders, so that duplicates of them are skipped here too.
         */
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assignment = Set.copyOf(consumer.assignment());
            if (!partitions.isEmpty()) {
                log.info("Worker {}: assigned {}", properties.workerId(), partitions);
                rememberHandled(partitions);
            }
        }

        /**
         * Remembers the work orders at the last {@code recent-work-orders} offsets before each partition's committed
         * offset: the offset is committed in the same transaction as each work order's end, so all of them were
         * handled, by whichever worker owned the partition. The consumer's own position is that offset (asking for
         * it fetches the committed offset, as the first fetch would), so consumption goes on exactly there. Bounded
         * by {@code read-back-timeout}; if the broker cannot be read, the partitions start with what this instance
         * remembers and duplicates of the rest run again as new attempts.
         */
        private void rememberHandled(Collection<TopicPartition> partitions) {
            if (recent.capacity() == 0) {
                return;
            }
            Instant deadline = clock.instant().plus(settings.readBackTimeout());
            try {
                Map<TopicPartition, Long> committed = new HashMap<>();
                for (TopicPartition partition : partitions) {
                    Duration left = Duration.between(clock.instant(), deadline);
                    committed.put(partition, consumer.position(partition, left.isNegative() ? Duration.ZERO : left));
                }
                int read = 0;
                for (Map.Entry<TopicPartition, WorkOrderReadBack.Window> window
                        : readBack.read(committed, deadline).entrySet()) {
                    recent.handledBefore(window.getKey(), window.getValue().committed(), window.getValue().handled());
                    read += window.getValue().handled().size();
                }
                log.info("Worker {}: read back {} handled work order(s) from before the committed offsets {}",
                        properties.workerId(), read, committed);
            } catch (KafkaException e) {
                log.warn("Worker {}: cannot read back the handled work orders of {} ({}); taking work orders without"
                        + " them: duplicates of work orders this instance did not finish may run again",
                        properties.workerId(), partitions, e.toString());
            }
        }

        /**
         * Runs on the poll thread inside {@code poll}, while the partitions are still ours: a run that ends within
         * the revocation grace is committed here, with its offset; one that does not is abandoned.
         */
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Instant deadline = clock.instant().plus(settings.revocationGrace());
            revoking = partitions.stream().anyMatch(inFlight::containsKey);
            try {
                revoke(partitions, deadline);
            } finally {
                revoking = false;
            }
            if (!partitions.isEmpty()) {
                log.info("Worker {}: revoked {}", properties.workerId(), partitions);
            }
            // Its next owner reads back what was handled; this instance reads it again if it gets it back.
            recent.forget(partitions);
            assignment = withoutAll(assignment, partitions);
        }

        private void revoke(Collection<TopicPartition> partitions, Instant deadline) {
            for (TopicPartition partition : partitions) {
                InFlight run = inFlight.remove(partition);
                restingUntil.remove(partition);
                if (run == null) {
                    continue;
                }
                try {
                    long waitMillis = Math.max(0, Duration.between(clock.instant(), deadline).toMillis());
                    run.result.get(waitMillis, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    abandon(run, FailureCategory.RUNTIME, "Partition " + partition + " was revoked from worker "
                            + properties.workerId() + " while the run was in flight; the work order runs again"
                            + " on the partition's new owner");
                    continue;
                } catch (ExecutionException | CancellationException e) {
                    // finish() reports it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    abandon(run, FailureCategory.RUNTIME, "worker interrupted during a rebalance");
                    continue;
                }
                finish(run, false);
            }
        }

        /** The partitions are already someone else's: nothing can be committed, the runs are abandoned. */
        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            for (TopicPartition partition : partitions) {
                InFlight run = inFlight.remove(partition);
                restingUntil.remove(partition);
                if (run != null) {
                    abandon(run, FailureCategory.RUNTIME, "Worker " + properties.workerId() + " lost partition "
                            + partition + " (it was out of the group too long); the work order runs again");
                }
            }
            log.warn("Worker {}: lost {}", properties.workerId(), partitions);
            recent.forget(partitions);
            assignment = withoutAll(assignment, partitions);
        }

        private static Set<TopicPartition> withoutAll(Set<TopicPartition> from, Collection<TopicPartition> gone) {
            Set<TopicPartition> left = new HashSet<>(from);
            left.removeAll(gone);
            return Set.copyOf(left);
        }

        // ---- transactions --------------------------------------------------------------------------------------

        private void commitOffset(KafkaProducer<String, Object> p, TopicPartition partition, long offset) {
            p.sendOffsetsToTransaction(Map.of(partition, new OffsetAndMetadata(offset + 1)),
                    consumer.groupMetadata());
        }

        // ---- closing -------------------------------------------------------------------------------------------

        @Override
        public void close() {
            for (InFlight run : inFlight.values()) {
                // Left to redelivery and the reaper: the session cannot publish any more. After a halt (a crash, for
                // tests) the folders stay, as a crash leaves them, for the next start-up sweep.
                if (!halted) {
                    run.task.abandon("the worker's pick-up session ended without a RunFinished for it");
                }
                run.result.cancel(true);
                log.warn("Worker {}: run {} at {} abandoned without a RunFinished", properties.workerId(),
                        run.attempt.runId(), run.attempt.position());
            }
            inFlight.clear();
            try {
                producer.close(halted ? Duration.ZERO : Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                log.warn("Worker {}: closing the producer failed: {}", properties.workerId(), e.toString());
            }
            try {
                consumer.close();
            } catch (RuntimeException e) {
                log.warn("Worker {}: closing the consumer failed: {}", properties.workerId(), e.toString());
            }
            deserializer.close();
            assignment = Set.of();
        }
    }

    private static List<PinnedInput> inputs(WorkOrder order) {
        List<PinnedInput> inputs = new ArrayList<>();
        for (dev.cwom.events.PinnedInput input : order.getInputs()) {
            inputs.add(new PinnedInput(input.getKind(), input.getId(), input.getVersion(), input.getDigest(),
                    input.getCanonicalJson()));
        }
        return inputs;
    }
}
