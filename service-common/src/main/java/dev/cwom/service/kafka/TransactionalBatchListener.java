package dev.cwom.service.kafka;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.support.KafkaUtils;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies a polled batch in one database transaction, one record after the other in offset order, so a batch costs
 * one database commit and one offset commit instead of one of each per record.
 *
 * <p>When a record fails, the transaction is rolled back and the records before it are applied again, without it, in
 * a new one; then a {@link BatchListenerFailedException} names the failing record, and the container's
 * {@link ConsumerErrorHandlers} handler commits the offsets before it, retries it or hands it to the
 * {@link RejectedRecordPublisher} by the failure's category, and delivers the records after it again. Nothing is
 * lost: an offset is committed only after the database commit of its record. Nothing is applied twice when the
 * process dies between the database commit and the offset commit, as long as {@code handler} recognises a record it
 * already applied (by event id), which the intake and the run-status follower do.
 *
 * <p>Values come through {@code ErrorHandlingDeserializer}: in a batch, the container hands undecodable records over
 * with a null value and the failure in a header, and this listener fails them like any other record.
 *
 * @param <V> the decoded value
 */
public final class TransactionalBatchListener<V> implements BatchMessageListener<byte[], V> {

    private static final Logger log = LoggerFactory.getLogger(TransactionalBatchListener.class);
    private static final LogAccessor HEADER_LOG = new LogAccessor(TransactionalBatchListener.class);

    /** What one record does, inside the batch's transaction. */
    @FunctionalInterface
    public interface RecordHandler<V> {

        /**
         * @param record the record, its value decoded (never null here)
         * @throws RuntimeException when it cannot be applied; its category (see {@link ConsumerFailures}) decides
         *     whether it is retried or rejected
         */
        void apply(ConsumerRecord<byte[], V> record);
    }

    /** What a record without a value (a tombstone) is failed with. */
    @FunctionalInterface
    public interface MissingValue {

        RuntimeException failure(ConsumerRecord<byte[], ?> record);
    }

    private final RecordHandler<V> handler;
    private final MissingValue missingValue;
    private final TransactionTemplate transactions;

    public TransactionalBatchListener(RecordHandler<V> handler, MissingValue missingValue,
            TransactionTemplate transactions) {
        this.handler = handler;
        this.missingValue = missingValue;
        this.transactions = transactions;
    }

    private record Failure(int index, RuntimeException cause) {
    }

    @Override
    public void onMessage(List<ConsumerRecord<byte[], V>> records) {
        int end = records.size();
        RuntimeException cause = null;
        while (end > 0) {
            Failure failure = applyInOneTransaction(records, end);
            if (failure == null) {
                break;
            }
            if (cause == null && failure.index() > 0) {
                log.debug("{} failed ({}); applying the {} record(s) before it on their own", KafkaUtils.format(
                        records.get(failure.index())), failure.cause().toString(), failure.index());
            }
            end = failure.index();
            cause = failure.cause();
        }
        if (cause != null) {
            ConsumerRecord<byte[], V> record = records.get(end);
            throw new BatchListenerFailedException(KafkaUtils.format(record) + " failed ("
                    + ConsumerFailures.category(cause) + "): " + ConsumerFailures.message(cause), cause, end);
        }
    }

    /** Applies the first {@code end} records in one transaction: all of them, or none and the first that failed. */
    private @Nullable Failure applyInOneTransaction(List<ConsumerRecord<byte[], V>> records, int end) {
        try {
            return transactions.execute(status -> {
                for (int i = 0; i < end; i++) {
                    try {
                        ConsumerRecord<byte[], V> record = records.get(i);
                        requireValue(record);
                        handler.apply(record);
                    } catch (RuntimeException e) {
                        // the records before it are applied again without it, in a new transaction
                        status.setRollbackOnly();
                        return new Failure(i, e);
                    }
                }
                return null;
            });
        } catch (RuntimeException commitFailed) {
            // the database went away at the commit: nothing of the batch counts as applied
            return new Failure(0, commitFailed);
        }
    }

    private void requireValue(ConsumerRecord<byte[], V> record) {
        if (record.value() != null) {
            return;
        }
        DeserializationException undecodable = SerializationUtils.getExceptionFromHeader(record,
                SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, HEADER_LOG);
        throw undecodable != null ? undecodable : missingValue.failure(record);
    }
}
