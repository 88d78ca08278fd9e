/**
 * Picking up work orders from Kafka and writing runs back: the consume -> execute -> produce loop with its
 * transactions, heartbeats, rebalances and shutdown ({@link dev.cwom.worker.runs.PickupLoop}), and what it publishes.
 */
@NullMarked
package dev.cwom.worker.runs;

import org.jspecify.annotations.NullMarked;
