/**
 * The Kafka intake of {@code cwom.issues.submitted.v1}: submissions validated and stored by the same services as the
 * REST API, bad records to {@code cwom.issues.rejected.v1} with their original bytes and a reason.
 */
@NullMarked
package dev.cwom.ingest.intake;

import org.jspecify.annotations.NullMarked;
