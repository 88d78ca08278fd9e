/**
 * Picking up work orders from Kafka and writing runs back. {@link dev.cwom.worker.runs.PickupLoop} is the lifecycle;
 * a {@link dev.cwom.worker.runs.PickupSession} polls, {@link dev.cwom.worker.runs.PartitionChanges} handles
 * rebalances, {@link dev.cwom.worker.runs.WorkOrderIntake} decides what a record becomes (with the de-duplication
 * and cancellation filters {@link dev.cwom.worker.runs.RecentWorkOrders},
 * {@link dev.cwom.worker.runs.WorkOrderReadBack} and {@link dev.cwom.worker.runs.CanceledIssues}),
 * {@link dev.cwom.worker.runs.RunScheduler} runs them, {@link dev.cwom.worker.runs.RunEnds} says what their ends
 * publish and {@link dev.cwom.worker.runs.Committer} commits it, with the offsets, in Kafka transactions.
 */
@NullMarked
package dev.cwom.worker.runs;

import org.jspecify.annotations.NullMarked;
