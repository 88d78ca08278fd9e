/**
 * Provenance of every Run once artifact-service stored it: OpenLineage run events on {@code cwom.lineage.v1} (and,
 * when configured, to an OpenLineage HTTP endpoint) and a signed in-toto attestation stored as an Artifact of the
 * Run. Emitted here, not by the worker, because this is where a Run's outputs are known complete with verified
 * digests, and where a table records what was emitted so that each Run's events and attestation are made once
 * (docs/provenance.md).
 */
@NullMarked
package dev.cwom.artifacts.provenance;

import org.jspecify.annotations.NullMarked;
