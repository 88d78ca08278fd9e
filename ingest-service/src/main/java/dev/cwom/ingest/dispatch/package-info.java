/** The hand-over from stored intent to the Kafka work pipeline: the transactional outbox of work orders. */
@NullMarked
package dev.cwom.ingest.dispatch;

import org.jspecify.annotations.NullMarked;
