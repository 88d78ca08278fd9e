package dev.cwom.worker.runs;

import dev.cwom.events.WorkOrder;
import java.time.Instant;
import org.apache.kafka.common.TopicPartition;

/**
 * One attempt at a work order, as the poll thread knows it: the Run's id (new per attempt), where the work order was
 * read, when the run started and which executor it was given.
 *
 * @param runId the Run's id, a new ULID per attempt
 * @param order the work order
 * @param partition where the work order was read
 * @param offset its offset; {@code offset + 1} is committed with the run's end
 * @param startedAt when the run started
 * @param executor the name of the executor that runs it
 */
record Attempt(String runId, WorkOrder order, TopicPartition partition, long offset, Instant startedAt,
        String executor) {

    /** {@code topic-partition@offset}, for log lines. */
    String position() {
        return partition + "@" + offset;
    }
}
