package dev.cwom.ingest.web;

import java.net.URI;
import java.time.Instant;
import java.time.temporal.TemporalAccessor;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;

/**
 * Every error as {@code application/problem+json} with a stable {@code code}: Spring's own MVC errors (405, 415,
 * missing parameters, type mismatches) through the base class, unreadable JSON as 400 with the JSON path of the
 * offending value, {@link ApiProblem}s as they say, and only genuine server faults as 500.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<Object> apiProblem(ApiProblem problem, WebRequest request) {
        HttpHeaders headers = new HttpHeaders();
        if (problem.status() == HttpStatus.METHOD_NOT_ALLOWED) {
            headers.setAllow(java.util.Set.of(HttpMethod.GET));
        }
        return ResponseEntity.status(problem.status()).headers(headers).body(problem.toProblemDetail(instance(request)));
    }

    /** A unique or foreign key the pre-checks did not catch (a concurrent writer): a conflict, not a server fault. */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<Object> integrity(DataIntegrityViolationException e, WebRequest request) {
        log.info("Refused a write that conflicts with stored data: {}", e.getMostSpecificCause().getMessage());
        return apiProblem(ApiProblem.conflict("CONFLICT", "The request conflicts with stored data (another request "
                + "changed it at the same time); read the current state and retry", Map.of()), request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, WebRequest request) {
        log.error("Unexpected error on {}", instance(request), e);
        ApiProblem problem = new ApiProblem(HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR",
                "The server failed to handle the request; this is not the client's fault. Retry later or report it");
        return ResponseEntity.status(problem.status()).body(problem.toProblemDetail(instance(request)));
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return apiProblem(unreadable(e), request);
    }

    /** Adds the stable {@code code} to the problems Spring MVC builds itself (405, 415, 400 on parameters, ...). */
    @Override
    protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem) {
            if (problem.getProperties() == null || !problem.getProperties().containsKey("code")) {
                HttpStatus status = HttpStatus.resolve(statusCode.value());
                problem.setProperty("code", status == null ? "HTTP_" + statusCode.value() : status.name());
            }
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    static ApiProblem unreadable(HttpMessageNotReadableException e) {
        Throwable cause = e.getCause();
        if (cause == null) {
            return new ApiProblem(HttpStatus.BAD_REQUEST, "MISSING_BODY",
                    "The request needs a JSON body (Content-Type: application/json)");
        }
        if (cause instanceof UnrecognizedPropertyException unknown) {
            Collection<Object> known = unknown.getKnownPropertyIds();
            return ApiProblem.invalid(path(unknown), "unknown field '" + unknown.getPropertyName()
                    + "'; remove it or use one of: " + (known == null ? "" : known.stream().map(String::valueOf)
                            .sorted().collect(Collectors.joining(", "))));
        }
        if (cause instanceof ValueInstantiationException instantiation && instantiation.getCause() != null) {
            // a @JsonCreator refused the value, e.g. an unknown enum value: its message lists the accepted ones
            return ApiProblem.invalid(path(instantiation), instantiation.getCause().getMessage());
        }
        if (cause instanceof InvalidFormatException format) {
            return ApiProblem.invalid(path(format), "'" + format.getValue() + "' is not " + expected(format.getTargetType()));
        }
        if (cause instanceof MismatchedInputException mismatch) {
            if (mismatch.getTargetType() == null || mismatch.getPath().isEmpty()) {
                return ApiProblem.invalid("$", "the body must be a JSON object matching the endpoint's schema");
            }
            return ApiProblem.invalid(path(mismatch), "wrong JSON type; expected " + expected(mismatch.getTargetType()));
        }
        if (cause instanceof StreamReadException syntax) {
            TokenStreamLocation at = syntax.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            return new ApiProblem(HttpStatus.BAD_REQUEST, "MALFORMED_JSON", "The body is not valid JSON" + where + ": "
                    + firstLine(syntax.getOriginalMessage()) + "; send one well-formed JSON object");
        }
        if (cause instanceof JacksonException other) {
            return ApiProblem.invalid(path(other), firstLine(other.getOriginalMessage()));
        }
        return new ApiProblem(HttpStatus.BAD_REQUEST, "MALFORMED_JSON",
                "The body could not be read as JSON; send one well-formed JSON object");
    }

    private static String path(JacksonException e) {
        StringBuilder path = new StringBuilder("$");
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                path.append('.').append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String expected(@Nullable Class<?> type) {
        if (type == null) {
            return "a value of the right type";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a JSON array";
        }
        if (type == String.class) {
            return "a JSON string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a JSON number in range for " + type.getSimpleName();
        }
        if (type == Instant.class || TemporalAccessor.class.isAssignableFrom(type)) {
            return "an ISO-8601 UTC timestamp such as 2026-01-25T10:15:30.123Z";
        }
        if (type.isEnum()) {
            return "one of " + List.of(type.getEnumConstants()).stream().map(c -> c instanceof dev.cwom.model.CwomEnum e
                    ? e.value() : c.toString()).collect(Collectors.joining(", "));
        }
        return "a JSON object";
    }

    private static String firstLine(@Nullable String message) {
        if (message == null) {
            return "unreadable input";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static @Nullable URI instance(WebRequest request) {
        if (request instanceof ServletWebRequest servlet) {
            return URI.create(servlet.getRequest().getRequestURI());
        }
        return null;
    }
}
