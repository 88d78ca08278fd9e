package dev.cwom.worker.runs;

import dev.cwom.worker.WorkerProperties;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pick-up session's transactional producer, one transaction at a time, on the poll thread. An abortable failure
 * aborts the transaction and is answered (the caller arranges a retry); a producer that can no longer be used ends the
 * session ({@link SessionBroken}), and one that was fenced ends this instance's pick-up for good ({@link Fenced}).
 */
final class Transactions {

    private static final Logger log = LoggerFactory.getLogger(Transactions.class);

    private final KafkaProducer<String, Object> producer;
    private final WorkerProperties properties;

    Transactions(KafkaProducer<String, Object> producer, WorkerProperties properties) {
        this.producer = producer;
        this.properties = properties;
    }

    /** Runs {@code body} in one transaction. True when committed; false when aborted. */
    boolean run(String what, Consumer<KafkaProducer<String, Object>> body) {
        return tryRun(what, body) == null;
    }

    /** {@link #run}, answering null when committed, or why the transaction was aborted. */
    @Nullable KafkaException tryRun(String what, Consumer<KafkaProducer<String, Object>> body) {
        try {
            producer.beginTransaction();
            body.accept(producer);
            producer.commitTransaction();
            return null;
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            throw fenced(what, e);
        } catch (OutOfOrderSequenceException | AuthorizationException | UnsupportedVersionException e) {
            throw new SessionBroken("Worker " + properties.workerId() + " cannot " + what
                    + ": its producer is broken (" + e + ")", e);
        } catch (KafkaException e) {
            if (causedByFencing(e)) {
                throw fenced(what, e);
            }
            log.warn("Worker {}: transaction to {} failed and is aborted: {}", properties.workerId(), what,
                    e.toString());
            try {
                producer.abortTransaction();
            } catch (KafkaException abortFailure) {
                throw new SessionBroken("Worker " + properties.workerId() + " cannot abort the transaction to "
                        + what + ": " + abortFailure, abortFailure);
            }
            return e;
        }
    }

    private Fenced fenced(String what, KafkaException e) {
        return new Fenced("Worker " + properties.workerId() + " cannot " + what + ": its producer was fenced (" + e
                + ") by another producer with transactional id " + PickupClients.transactionalId(properties)
                + "; give each instance its own cwom.worker.worker-id, then restart this one", e);
    }

    private static boolean causedByFencing(Throwable failure) {
        for (Throwable t = failure.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    /** Producer in a state where only closing helps (broken sequence, not authorised, abort failed). */
    static class SessionBroken extends RuntimeException {
        SessionBroken(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Another producer took this instance's transactional id: this instance must not work any more. */
    static final class Fenced extends SessionBroken {
        Fenced(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
