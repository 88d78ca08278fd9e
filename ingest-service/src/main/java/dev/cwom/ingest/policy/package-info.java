/**
 * The operator's policy in ingest: its immutable versions as DoctrineRefs ({@link dev.cwom.ingest.policy.PolicyStore}),
 * the admin endpoint, and the gate every submission passes ({@link dev.cwom.ingest.policy.PolicyGuard}).
 */
@NullMarked
package dev.cwom.ingest.policy;

import org.jspecify.annotations.NullMarked;
