package dev.cwom.worker.runs;

import dev.cwom.events.WorkOrder;
import dev.cwom.model.Ids;
import dev.cwom.serde.AvroSerdeException;
import dev.cwom.serde.KafkaAvroDeserializer;
import dev.cwom.serde.SerdeErrors;
import dev.cwom.service.tracing.TracedWork;
import dev.cwom.worker.execution.PreparedRun;
import dev.cwom.worker.execution.RunExecution;
import dev.cwom.worker.executors.PinnedInput;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.KafkaUtils;

/**
 * What becomes of one record read from {@code cwom.issues.ready.v1}, in this order: decoded (else rejected with its
 * bytes and a reason); a duplicate of a work order handled on its partition ({@link RecentWorkOrders}) skipped; one
 * without ULIDs rejected; one of a canceled Issue or a withdrawn attempt ({@link CanceledIssues}) not run; otherwise
 * a new Run prepared ({@link RunExecution#prepare}) and handed to the {@link Committer} as a start. Skips and
 * rejections commit the record's offset at once.
 */
final class WorkOrderIntake {

    private static final Logger log = LoggerFactory.getLogger(WorkOrderIntake.class);

    /** The outcome of handling one record. */
    enum Step {
        /** Handled and its offset committed (rejected, skipped). */
        DONE,
        /** A run was prepared; its start waits for the committer. */
        STARTED,
        /** Not handled: read it again after the partition has rested. */
        RETRY_LATER
    }

    /** Whether a work order was already ended by a run elsewhere, beyond what this worker remembers. */
    @FunctionalInterface
    interface EndedElsewhere {

        /** Why {@code order} needs no run: the run that ended it; null to run it. */
        @Nullable String endedBy(ConsumerRecord<byte[], byte[]> record, WorkOrder order);

        /** A consumer group's: a work order at or past the committed offset has not been ended. */
        EndedElsewhere NEVER = (record, order) -> null;
    }

    private final PickupLoop loop;
    private final KafkaAvroDeserializer deserializer;
    private final Committer committer;
    private final EndedElsewhere endedElsewhere;

    WorkOrderIntake(PickupLoop loop, KafkaAvroDeserializer deserializer, Committer committer) {
        this(loop, deserializer, committer, EndedElsewhere.NEVER);
    }

    WorkOrderIntake(PickupLoop loop, KafkaAvroDeserializer deserializer, Committer committer,
            EndedElsewhere endedElsewhere) {
        this.loop = loop;
        this.deserializer = deserializer;
        this.committer = committer;
        this.endedElsewhere = endedElsewhere;
    }

    Step handle(ConsumerRecord<byte[], byte[]> record) {
        Step step = take(record);
        if (step != Step.RETRY_LATER) {
            loop.metrics().pickedUp();
        }
        return step;
    }

    private Step take(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        String position = KafkaUtils.format(record);
        WorkOrder order;
        try {
            Object value = deserializer.deserialize(record.topic(), record.value());
            if (!(value instanceof WorkOrder workOrder)) {
                String what = value == null ? "a null value (tombstone)" : "a " + value.getClass().getName();
                return reject(record, "UNEXPECTED_SCHEMA", "Record at " + position + " is " + what
                        + ", not a WorkOrder; only ingest's outbox relay may write to " + loop.topics().workOrders());
            }
            order = workOrder;
        } catch (AvroSerdeException e) {
            if (SerdeErrors.isRetryable(e)) {
                log.warn("Worker {}: cannot read work order at {} now ({}); trying again in {}", workerId(),
                        position, e.getMessage(), loop.properties().pickup().redeliveryBackoff());
                return Step.RETRY_LATER;
            }
            return reject(record, e.reasonCode(), e.getMessage());
        }

        String handledBefore = loop.recent().handled(partition, order.getEventId());
        if (handledBefore != null) {
            log.info("Worker {}: skipping duplicate work order {} for issue {} at {}: {}", workerId(),
                    order.getEventId(), order.getIssueId(), position, handledBefore);
            return done(committer.skip(partition, record.offset(), "skip duplicate at " + position));
        }

        String endedBy = endedElsewhere.endedBy(record, order);
        if (endedBy != null) {
            log.info("Worker {}: not running work order {} for issue {} at {} again: {}", workerId(),
                    order.getEventId(), order.getIssueId(), position, endedBy);
            return done(committer.skip(partition, record.offset(), "skip ended work order at " + position));
        }

        if (!Ids.isUlid(order.getIssueId()) || !Ids.isUlid(order.getRepoId())) {
            // Run events are keyed to an Issue and its Repo: without their ids there is no run to record.
            return reject(record, "VALIDATION_FAILED", "Work order " + order.getEventId() + " at " + position
                    + " has issue_id '" + order.getIssueId() + "' and repo_id '" + order.getRepoId()
                    + "'; both must be ULIDs, so no run can be attributed to it. Only ingest's outbox relay may"
                    + " write to " + loop.topics().workOrders());
        }

        String stopped = loop.canceledIssues().stops(order.getIssueId(), order.getAttempt());
        if (stopped != null) {
            log.info("Worker {}: not running work order {} at {}: {}; committing its offset without a run",
                    workerId(), order.getEventId(), position, stopped);
            return done(committer.skip(partition, record.offset(),
                    "skip work order of canceled Issue at " + position));
        }

        String runId = Ids.newUlid();
        PreparedRun prepared;
        // the run joins the trace of its work order (and so of its Issue's submission)
        try (TracedWork pickup = loop.execution().pickUp(record.headers())) {
            pickup.span().tag("cwom.run_id", runId);
            prepared = loop.execution().prepare(runId, inputs(order), order.getRequestedBy());
        } catch (RuntimeException e) {
            if (RunExecution.causedByIo(e)) {
                // The trace or work folder cannot be made: nothing about the work order is wrong, try it later.
                log.error("Worker {}: cannot prepare run {} for work order at {}: {}", workerId(), runId, position,
                        e.toString());
                return Step.RETRY_LATER;
            }
            // prepare() turns whatever the content causes into a refused run; this is a fault of the worker, and the
            // same work order would meet it on every attempt.
            log.error("Worker {}: cannot prepare run {} for work order at {}", workerId(), runId, position, e);
            return reject(record, "UNPREPARABLE", "Worker " + workerId() + " could not prepare a run for work order "
                    + order.getEventId() + " at " + position + ": " + e
                    + "; it is set aside here instead of being retried for ever");
        }
        if (prepared.refusal() != null) {
            // Still a run, recorded like any other: RunFinished failed (policy) with a trace, nothing executed.
            log.warn("Worker {}: run {} for issue {} at {} refuses its inputs: {}", workerId(), runId,
                    order.getIssueId(), position, prepared.refusal());
        }
        committer.start(new Attempt(prepared, order, partition, record.offset()));
        return Step.STARTED;
    }

    private Step reject(ConsumerRecord<byte[], byte[]> record, String reasonCode, String message) {
        return done(committer.reject(record, reasonCode, message));
    }

    private static Step done(boolean committed) {
        return committed ? Step.DONE : Step.RETRY_LATER;
    }

    private String workerId() {
        return loop.properties().workerId();
    }

    /** The work order's pinned inputs, as the execution reads them. */
    static List<PinnedInput> inputs(WorkOrder order) {
        List<PinnedInput> inputs = new ArrayList<>();
        for (dev.cwom.events.PinnedInput input : order.getInputs()) {
            inputs.add(new PinnedInput(input.getKind(), input.getId(), input.getVersion(), input.getDigest(),
                    input.getCanonicalJson()));
        }
        return inputs;
    }
}
