/**
 * The Canonical Work Object Model v0.1: seven kinds ({@link dev.cwom.model.Repo}, {@link dev.cwom.model.Issue},
 * {@link dev.cwom.model.ContextPacket}, {@link dev.cwom.model.ConstraintSnapshot}, {@link dev.cwom.model.DoctrineRef},
 * {@link dev.cwom.model.Run}, {@link dev.cwom.model.Artifact}), their primitives and enums, as immutable records
 * whose JSON form is the spec's snake_case. Absent lists and objects read as empty, so equal content is equal.
 */
@NullMarked
package dev.cwom.model;

import org.jspecify.annotations.NullMarked;
