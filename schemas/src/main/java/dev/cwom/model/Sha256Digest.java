package dev.cwom.model;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.Pattern;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The value, when present, is a content digest written {@code sha256:} followed by 64 lower-case hex digits. */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE,
        ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = {})
@ReportAsSingleViolation
@Pattern(regexp = "sha256:[0-9a-f]{64}")
public @interface Sha256Digest {
    String message() default "must be 'sha256:' followed by 64 lower-case hex digits";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
