package dev.cwom.model;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The value, when present, is a ULID: 26 characters of Crockford base32, the first no higher than 7. */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE,
        ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = UlidValidator.class)
public @interface Ulid {
    String message() default "must be a ULID: 26 characters of Crockford base32 (0-9, A-Z without I, L, O, U), "
            + "e.g. 01JJ8Z5K4T3W6X7Y8Z9ABCDEFG";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
