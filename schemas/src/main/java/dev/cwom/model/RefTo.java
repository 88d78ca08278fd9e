package dev.cwom.model;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The {@link Ref}, when present, points at an object of the given kind, e.g. {@code Issue.repo} at a Repo. Declared on
 * the field (or list element) so that validation and the JSON Schema read the same rule.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE,
        ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = RefToValidator.class)
public @interface RefTo {

    /** The kind the reference must name. */
    Class<? extends CwomObject> value();

    String message() default "refers to the wrong kind of object";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
