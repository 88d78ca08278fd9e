package dev.cwom.model.validation;

import dev.cwom.model.Ref;
import dev.cwom.model.RefTo;
import dev.cwom.model.Sha256Digest;
import dev.cwom.model.Ulid;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.lang.annotation.Annotation;
import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Turns Bean Validation's terse messages into ones that say what was found and what is expected. */
final class ViolationMessages {

    private static final int MAX_SHOWN = 80;

    private ViolationMessages() {
    }

    static String of(ConstraintViolation<?> violation) {
        Class<? extends Annotation> type = violation.getConstraintDescriptor().getAnnotation().annotationType();
        Map<String, Object> attributes = violation.getConstraintDescriptor().getAttributes();
        Object value = violation.getInvalidValue();
        if (value == null && (type == NotNull.class || type == NotBlank.class || type == NotEmpty.class)) {
            return "is missing; this field is required";
        }
        if (type == RefTo.class && value instanceof Ref ref) {
            String expected = ((Class<?>) attributes.get("value")).getSimpleName();
            return "is '" + shown(ref.kind()) + "' but this field refers to " + withArticle(expected)
                    + "; set kind to '" + expected + "'";
        }
        if (type == NotBlank.class) {
            return "is blank; write some text here";
        }
        if (type == NotEmpty.class) {
            return "is empty; give at least one value";
        }
        if (type == Size.class && value != null) {
            return size(value, (Integer) attributes.get("min"), (Integer) attributes.get("max"));
        }
        if (type == Min.class) {
            return "is " + value + "; must be at least " + attributes.get("value");
        }
        if (type == Max.class) {
            return "is " + value + "; must be at most " + attributes.get("value");
        }
        if (type == DecimalMin.class) {
            return "is " + value + "; must be " + (Boolean.TRUE.equals(attributes.get("inclusive")) ? "at least "
                    : "greater than ") + attributes.get("value");
        }
        if (type == DecimalMax.class) {
            return "is " + value + "; must be " + (Boolean.TRUE.equals(attributes.get("inclusive")) ? "at most "
                    : "less than ") + attributes.get("value");
        }
        if (type == Ulid.class || type == Sha256Digest.class || value instanceof CharSequence) {
            return "'" + shown(value) + "' is not valid: " + violation.getMessage();
        }
        return value == null ? violation.getMessage() : "is " + shown(value) + "; " + violation.getMessage();
    }

    private static String size(Object value, int min, int max) {
        int actual;
        String unit;
        if (value instanceof CharSequence s) {
            actual = s.length();
            unit = "characters";
        } else if (value instanceof Collection<?> c) {
            actual = c.size();
            unit = "items";
        } else if (value instanceof Map<?, ?> m) {
            actual = m.size();
            unit = "entries";
        } else {
            return "has the wrong size; must have between " + min + " and " + max;
        }
        if (actual > max) {
            return "has " + actual + " " + unit + "; at most " + max + " are allowed";
        }
        return "has " + actual + " " + unit + "; at least " + min + " are required";
    }

    /** "an Issue", "a Run": kinds in messages read as English. */
    static String withArticle(String kind) {
        return ("AEIOU".indexOf(kind.charAt(0)) >= 0 ? "an " : "a ") + kind;
    }

    static String shown(@Nullable Object value) {
        String text = String.valueOf(value);
        return text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN) + "...";
    }
}
