package dev.cwom.worker.runs;

import org.apache.kafka.common.TopicPartition;

/** How the poll loop reads a work order again: its partition is rewound to it and rests for a while. */
@FunctionalInterface
interface Redelivery {

    /** Reads the work order at {@code offset} of {@code partition} again after {@code pickup.redelivery-backoff}. */
    void again(TopicPartition partition, long offset);
}
