/**
 * Publishes the operator's public attestation keys ({@code GET /cwom/.well-known/provenance-keys}), so anyone can
 * verify a Run's signed attestation without a token (docs/provenance.md).
 */
@NullMarked
package dev.cwom.ingest.provenance;

import org.jspecify.annotations.NullMarked;
