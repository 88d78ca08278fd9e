package dev.cwom.worker.runs;

import dev.cwom.events.WorkOrder;
import dev.cwom.service.tracing.TraceHeaders;
import dev.cwom.worker.execution.PreparedRun;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;
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

    /** A record of this run's event (key = run id) that carries the run's trace context. */
    ProducerRecord<String, Object> record(String topic, Object event) {
        ProducerRecord<String, Object> record = new ProducerRecord<>(topic, runId(), event);
        TraceHeaders.write(run.traceContext(), record.headers());
        return record;
    }

    /**
     * This run's {@code RunFinished} as its work order's end (committed with the work order's offset), marked so that
     * a worker given the work order again can find it ({@link WorkOrderEnds}).
     */
    ProducerRecord<String, Object> end(String topic, Object finished) {
        ProducerRecord<String, Object> record = record(topic, finished);
        WorkOrderEnds.mark(record.headers(), order.getEventId());
        return record;
    }

    /** {@code topic-partition@offset}, for log lines. */
    String position() {
        return partition + "@" + offset;
    }
}
