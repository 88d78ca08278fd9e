/**
 * Lineage queries: what produced an Artifact and from which pinned inputs ({@code GET /cwom/artifacts/{id}/lineage}),
 * and which Runs pinned, and which Artifacts hold, a given digest ({@code GET /cwom/lineage?digest=}).
 */
@NullMarked
package dev.cwom.ingest.lineage;

import org.jspecify.annotations.NullMarked;
