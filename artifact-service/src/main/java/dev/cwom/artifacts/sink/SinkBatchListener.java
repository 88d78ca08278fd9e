package dev.cwom.artifacts.sink;

import dev.cwom.service.kafka.ConsumerFailures;
import dev.cwom.service.kafka.RejectedRecordPublisher;
import dev.cwom.service.tracing.TraceHeaders;
import io.micrometer.tracing.Span;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.support.KafkaUtils;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes each polled batch in one database transaction; the container commits the offsets only when this returns,
 * so after the database commit. On a failure it commits what precedes the first failing record and throws a
 * {@link BatchListenerFailedException} naming it; the container's {@code DefaultErrorHandler} then commits those
 * offsets, backs off by the failure's category (see {@link ConsumerFailures}) and either retries from that record or hands
 * it to the {@link RejectedRecordPublisher}.
 */
final class SinkBatchListener implements BatchMessageListener<byte[], byte[]> {

    private static final Logger log = LoggerFactory.getLogger(SinkBatchListener.class);

    private final EventDecoder decoder;
    private final SinkWriter writer;
    private final TransactionTemplate transactions;
    private final TraceHeaders traces;

    SinkBatchListener(EventDecoder decoder, SinkWriter writer, TransactionTemplate transactions,
            TraceHeaders traces) {
        this.decoder = decoder;
        this.writer = writer;
        this.transactions = transactions;
        this.traces = traces;
    }

    @Override
    public void onMessage(List<ConsumerRecord<byte[], byte[]>> records) {
        // each record's trace (its run's, from the submit on) ends with a span for storing it; the batch shares
        // one transaction, so the spans last as long as the batch
        List<Span> storing = new ArrayList<>(records.size());
        try {
            for (ConsumerRecord<byte[], byte[]> record : records) {
                storing.add(traces.start(record.headers(), "cwom.sink.store"));
            }
            store(records);
        } finally {
            storing.forEach(Span::end);
        }
    }

    private void store(List<ConsumerRecord<byte[], byte[]>> records) {
        List<SinkEvent> events = new ArrayList<>(records.size());
        RuntimeException undecodable = null;
        for (int i = 0; i < records.size(); i++) {
            try {
                events.add(decoder.decode(i, records.get(i)));
            } catch (RuntimeException e) {
                // Everything before it is still written; the handler then deals with this record alone.
                undecodable = e;
                break;
            }
        }
        if (!events.isEmpty()) {
            write(records, events);
        }
        if (undecodable != null) {
            throw failed(records, events.size(), undecodable);
        }
    }

    private void write(List<ConsumerRecord<byte[], byte[]>> records, List<SinkEvent> events) {
        try {
            transactions.executeWithoutResult(status -> writer.write(events));
            return;
        } catch (RuntimeException e) {
            if (ConsumerFailures.isTransient(e)) {
                throw failed(records, events.getFirst().index(), e);
            }
            log.info("Batch of {} events from {} was refused ({}, SQLSTATE {}); writing it event by event to find"
                    + " the culprit", events.size(), KafkaUtils.format(records.getFirst()), e.getClass().getSimpleName(),
                    ConsumerFailures.sqlState(e));
        }
        Refusal refusal;
        try {
            refusal = transactions.execute(status -> writeOneByOne(status, events));
        } catch (RuntimeException e) {
            throw failed(records, events.getFirst().index(), e);
        }
        if (refusal != null) {
            throw failed(records, refusal.index(), refusal.failure());
        }
    }

    /** Writes events in order, each under a savepoint, up to the first refused one; that one is answered. */
    private @Nullable Refusal writeOneByOne(TransactionStatus status, List<SinkEvent> events) {
        for (SinkEvent event : events) {
            Object savepoint = status.createSavepoint();
            try {
                writer.write(List.of(event));
                status.releaseSavepoint(savepoint);
            } catch (RuntimeException e) {
                if (ConsumerFailures.isTransient(e)) {
                    throw e;
                }
                status.rollbackToSavepoint(savepoint);
                return new Refusal(event.index(), DatabaseRefusals.refusal(e, event));
            }
        }
        return null;
    }

    private static BatchListenerFailedException failed(List<ConsumerRecord<byte[], byte[]>> records, int index,
            RuntimeException cause) {
        ConsumerRecord<byte[], byte[]> record = records.get(index);
        String message = KafkaUtils.format(record) + " failed (" + ConsumerFailures.category(cause) + "): "
                + ConsumerFailures.message(cause);
        return new BatchListenerFailedException(message, cause, index);
    }

    private record Refusal(int index, RuntimeException failure) {
    }
}
