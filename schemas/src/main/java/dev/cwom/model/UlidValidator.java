package dev.cwom.model;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import org.jspecify.annotations.Nullable;

/** Checks {@link Ulid}; absent values are left to {@code @NotNull}. */
public final class UlidValidator implements ConstraintValidator<Ulid, String> {

    @Override
    public boolean isValid(@Nullable String value, ConstraintValidatorContext context) {
        return value == null || Ids.isUlid(value);
    }
}
