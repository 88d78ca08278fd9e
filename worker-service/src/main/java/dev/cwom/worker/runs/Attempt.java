package dev.cwom.worker.runs;

import dev.cwom.events.WorkOrder;
import dev.cwom.worker.execution.PreparedRun;
import java.time.Instant;
import org.apache.kafka.common.TopicPartition;

/**
 * One attempt at a work order, as the poll thread knows it: the prepared run (its id is new per attempt) and where
 * the work order was read.
 *
 * @param run the prepared run: id, start, pinned inputs, executor
 * @param order the work order
 * @param partition where the work order was read
 * @param offset its offset; {@code offset + 1} is committed with the run's end
 */
record Attempt(PreparedRun run, WorkOrder order, TopicPartition partition, long offset) {

    String runId() {
        return run.runId();
    }

    Instant startedAt() {
        return run.startedAt();
    }

    /** {@code topic-partition@offset}, for log lines. */
    String position() {
        return partition + "@" + offset;
    }
}
