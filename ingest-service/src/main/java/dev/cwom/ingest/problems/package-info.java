/**
 * The refusals every layer of ingest may raise (the store, the services, the REST edge), answered as
 * {@code application/problem+json}; apart from {@code web} so the store can refuse without depending on the REST edge.
 */
@NullMarked
package dev.cwom.ingest.problems;

import org.jspecify.annotations.NullMarked;
