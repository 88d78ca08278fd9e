/**
 * The sink contract: ingest-service's only way to artifact-service's data. It reads the views the sink publishes
 * ({@code sink_runs_v1}, {@code sink_artifacts_v1}; docs/contracts/sink-views-v1.md), never the sink's tables, and
 * hears on {@code cwom_sink_stored} that the sink stored something, so {@code ?wait} wakes without polling.
 */
@NullMarked
package dev.cwom.ingest.sinkcontract;

import org.jspecify.annotations.NullMarked;
