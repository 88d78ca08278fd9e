package dev.cwom.worker.runs;

/**
 * One pick-up session of a {@link PickupLoop}: Kafka clients on the loop's thread, from {@link #run} until
 * {@link #close}. A consumer group's ({@link PickupSession}) or a share group's ({@link ShareSession}).
 */
interface Session extends AutoCloseable {

    /** Takes work orders until the loop stops or halts; throws when the clients break. */
    void run();

    @Override
    void close();
}
