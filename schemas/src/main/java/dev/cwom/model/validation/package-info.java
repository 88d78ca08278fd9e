/**
 * Validation of CWOM objects: Bean Validation on the records plus the cross-field rules of the spec, reported as
 * {@link dev.cwom.model.validation.Violation}s with JSON paths in the spec's snake_case names. One entry point,
 * {@link dev.cwom.model.validation.CwomValidator}, for REST and Kafka intake alike.
 */
@NullMarked
package dev.cwom.model.validation;

import org.jspecify.annotations.NullMarked;
