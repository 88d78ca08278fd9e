package dev.cwom.artifacts.sink;

import dev.cwom.service.kafka.ConsumerFailures;

/**
 * Turns the database's refusal of one event into the typed refusal its rejection carries. Which failures are
 * transient is decided by {@link ConsumerFailures}, the one list of them.
 */
final class DatabaseRefusals {

    /** PostgreSQL's foreign_key_violation: the event names an object that does not exist (yet). */
    static final String FOREIGN_KEY_VIOLATION = "23503";

    private DatabaseRefusals() {
    }

    /**
     * The typed refusal for a database failure while storing one event; a transient failure is answered unchanged,
     * because it says nothing about the event.
     */
    static RuntimeException refusal(RuntimeException failure, SinkEvent event) {
        if (ConsumerFailures.isTransient(failure)) {
            return failure;
        }
        String sqlState = ConsumerFailures.sqlState(failure);
        if (FOREIGN_KEY_VIOLATION.equals(sqlState)) {
            return new UnknownReferenceException(event.describe() + " names an issue, repo, run or pinned input that"
                    + " does not exist in the database (" + ConsumerFailures.rootMessage(failure) + "); create it "
                    + "through ingest first, then replay the rejected record", sqlState, failure);
        }
        return new UnstorableEventException(event.describe() + " cannot be stored: "
                + ConsumerFailures.rootMessage(failure) + "; fix the producer, then replay the rejected record",
                sqlState, failure);
    }
}
