package dev.cwom.service.kafka;

/**
 * What kind of failure stopped a record, what the consumer does about it, and what a human can do: the category is
 * logged with every failed attempt and written into the rejection's details, so whoever reads either knows whether to
 * fix a service, a deployment or a producer.
 */
public enum FailureCategory {

    /** Not the record's fault: a service it needs is away. Nothing is rejected for it. */
    UNAVAILABLE(Handling.RETRY_FOREVER, "a service the consumer needs (database, broker or schema registry) is "
            + "unreachable, overloaded or restarting; the record is retried until it is back: check that service"),

    /** Not the record's fault: the database is not the one this service expects. Nothing is rejected for it. */
    SCHEMA_NOT_MIGRATED(Handling.RETRY_FOREVER, "the database lacks a table or column this service needs (not "
            + "migrated yet, or migrated by an older version); the record is retried until it is there: run the "
            + "service's migrations"),

    /** The record can never be processed as it is: undecodable, invalid, or in conflict with what is stored. */
    INVALID_RECORD(Handling.REJECT, "the record can never be processed as it is; it was published to the rejected "
            + "topic with its original bytes: fix the producer, then publish it again"),

    /** The database refused the record, possibly only for now (it names something not stored yet). */
    REFUSED(Handling.RETRY_THEN_REJECT, "the database refused the record (for example it names an object not stored "
            + "yet); it is retried a few times, then rejected: store what it names, then publish it again"),

    /** Anything else: perhaps a race, perhaps a bug. Retried a few times rather than blocking the partition. */
    UNEXPECTED(Handling.RETRY_THEN_REJECT, "an unexpected failure; the record is retried a few times, then rejected "
            + "as UNSTORABLE: read the logged stack trace, fix the cause, then publish it again");

    /** What the error handler does with a record of a category. */
    public enum Handling {
        /** Wait and try again, for as long as it takes; the consumer stays in its group. */
        RETRY_FOREVER,
        /** Try a few times (it may be a race), then reject rather than block the partition. */
        RETRY_THEN_REJECT,
        /** Reject at once. */
        REJECT
    }

    private final Handling handling;
    private final String advice;

    FailureCategory(Handling handling, String advice) {
        this.handling = handling;
        this.advice = advice;
    }

    public Handling handling() {
        return handling;
    }

    /** What happens to the record and what a human can do about it. */
    public String advice() {
        return advice;
    }
}
