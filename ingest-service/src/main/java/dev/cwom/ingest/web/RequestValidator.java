package dev.cwom.ingest.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import dev.cwom.model.CwomObject;
import dev.cwom.model.validation.CwomValidator;
import dev.cwom.model.validation.Violation;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Validates request bodies and answers 400 with one JSON path per field error. CWOM objects go to schemas'
 * {@link CwomValidator} (Bean Validation plus the spec's cross-field rules); the service's own bodies (status
 * changes, run updates, task requests) get plain Bean Validation with paths rendered the same way.
 */
@Component
public class RequestValidator {

    private final Validator validator;

    public RequestValidator(Validator validator) {
        this.validator = validator;
    }

    /** Throws a 400 {@link ApiProblem} listing every violation of {@code body}; returns quietly when it is valid. */
    public void validate(Object body) {
        List<Violation> violations = violations(body);
        if (!violations.isEmpty()) {
            throw ApiProblem.invalid(violations);
        }
    }

    /** Every violation of {@code body}, sorted by path so answers are stable. */
    public List<Violation> violations(Object body) {
        if (body instanceof CwomObject object) {
            return CwomValidator.shared().validate(object);
        }
        Set<ConstraintViolation<Object>> found = validator.validate(body);
        return found.stream()
                .map(v -> new Violation(jsonPath(v), v.getMessage()))
                .sorted(Comparator.comparing(Violation::path).thenComparing(Violation::message))
                .toList();
    }

    private static String jsonPath(ConstraintViolation<Object> violation) {
        StringBuilder path = new StringBuilder("$");
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.isInIterable()) {
                path.append('[').append(node.getIndex() != null ? node.getIndex() : "'" + node.getKey() + "'").append(']');
            }
            if (node.getKind() == ElementKind.PROPERTY && node.getName() != null) {
                path.append('.').append(jsonName(violation.getLeafBean(), node.getName()));
            }
        }
        return path.toString();
    }

    /** The JSON name of a record component: its {@code @JsonProperty} when present, else snake_case. */
    private static String jsonName(@Nullable Object leafBean, String javaName) {
        if (leafBean != null) {
            try {
                JsonProperty property = leafBean.getClass().getMethod(javaName).getAnnotation(JsonProperty.class);
                if (property != null && !property.value().isEmpty()) {
                    return property.value();
                }
            } catch (NoSuchMethodException ignored) {
                // not the leaf bean's own component (an intermediate node): snake_case is right
            }
        }
        return javaName.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
