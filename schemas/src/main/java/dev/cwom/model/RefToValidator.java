package dev.cwom.model;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import org.jspecify.annotations.Nullable;

/** Checks {@link RefTo}; the violation points at the Ref's {@code kind}. A missing kind is left to {@code @NotBlank}. */
public final class RefToValidator implements ConstraintValidator<RefTo, Ref> {

    private String expected = "";

    @Override
    public void initialize(RefTo annotation) {
        expected = annotation.value().getSimpleName();
    }

    @Override
    public boolean isValid(@Nullable Ref ref, ConstraintValidatorContext context) {
        if (ref == null || ref.kind() == null || ref.kind().isBlank() || ref.kind().equals(expected)) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(context.getDefaultConstraintMessageTemplate())
                .addPropertyNode("kind")
                .addConstraintViolation();
        return false;
    }
}
