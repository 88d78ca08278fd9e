/**
 * Signed provenance of Runs: Ed25519 signing keys and their ids, DSSE envelopes, the in-toto Statement with a SLSA
 * Provenance predicate that artifact-service signs for every finished Run, and the verifier that checks one (used by
 * the CLI and by anyone holding the operator's public key). Plain JDK crypto, no Spring.
 */
@NullMarked
package dev.cwom.provenance;

import org.jspecify.annotations.NullMarked;
