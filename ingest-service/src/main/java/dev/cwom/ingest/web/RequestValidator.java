package dev.cwom.ingest.web;

import dev.cwom.ingest.problems.ApiProblem;
import dev.cwom.model.CwomObject;
import dev.cwom.model.validation.CwomValidator;
import dev.cwom.model.validation.Violation;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Validates request bodies with schemas' {@link CwomValidator} (CWOM objects with the spec's cross-field rules, the
 * service's own request records with plain Bean Validation) and answers 400 with one JSON path per field error.
 */
@Component
public class RequestValidator {

    /** Throws a 400 {@link ApiProblem} listing every violation of {@code body}; returns quietly when it is valid. */
    public void validate(Object body) {
        List<Violation> violations = CwomValidator.shared().validateBody(body);
        if (!violations.isEmpty()) {
            throw ApiProblem.invalid(violations);
        }
    }

    /**
     * Throws a 400 when a partial update, merged with the stored object, breaks the spec's cross-field rules; the
     * paths are the object's, which are the update's too (e.g. {@code $.failure}, {@code $.telemetry.ended_at}).
     */
    public void validateMerged(CwomObject merged) {
        List<Violation> violations = CwomValidator.shared().crossFieldViolations(merged);
        if (!violations.isEmpty()) {
            throw ApiProblem.invalid(violations);
        }
    }
}
