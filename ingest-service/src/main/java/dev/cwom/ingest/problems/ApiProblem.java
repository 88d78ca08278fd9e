package dev.cwom.ingest.problems;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.cwom.model.validation.Violation;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * A client's mistake or a refused request, answered as {@code application/problem+json}. The stable {@code code}
 * property lets clients react without parsing the human-readable {@code detail}.
 */
public final class ApiProblem extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final Map<String, Object> properties;

    public ApiProblem(HttpStatus status, String code, String detail, Map<String, Object> properties) {
        super(detail);
        this.status = status;
        this.code = code;
        this.properties = new LinkedHashMap<>(properties);
    }

    public ApiProblem(HttpStatus status, String code, String detail) {
        this(status, code, detail, Map.of());
    }

    /** 404: no object of {@code kind} has {@code id}. */
    public static ApiProblem notFound(String kind, String id) {
        return new ApiProblem(HttpStatus.NOT_FOUND, "NOT_FOUND",
                kind + " '" + id + "' does not exist; check the id or list the " + kind + " objects to find it",
                Map.of("kind", kind, "id", id));
    }

    /** 400: field errors, each with its JSON path. */
    public static ApiProblem invalid(List<Violation> violations) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, "VALIDATION_FAILED",
                "The request has " + violations.size() + " invalid field(s); see 'errors' for each path and the fix",
                Map.of("errors", List.copyOf(violations)));
    }

    /** 400: one invalid field or query parameter. */
    public static ApiProblem invalid(String path, String message) {
        return invalid(List.of(new Violation(path, message)));
    }

    /** 409: the request conflicts with what is stored. */
    public static ApiProblem conflict(String code, String detail, Map<String, Object> properties) {
        return new ApiProblem(HttpStatus.CONFLICT, code, detail, properties);
    }

    /** 501: the endpoint exists but is not wired yet. */
    public static ApiProblem notWiredYet(String detail) {
        return new ApiProblem(HttpStatus.NOT_IMPLEMENTED, "NOT_IMPLEMENTED", detail);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The problem as Spring's ProblemDetail, with {@code code} and the extra properties. */
    public ProblemDetail toProblemDetail(@Nullable URI instance) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, getMessage());
        problem.setInstance(instance);
        problem.setProperty("code", code);
        properties.forEach(problem::setProperty);
        return problem;
    }
}
