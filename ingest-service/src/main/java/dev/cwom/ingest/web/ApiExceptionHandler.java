package dev.cwom.ingest.web;

import dev.cwom.ingest.problems.ApiProblem;
import java.net.URI;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import dev.cwom.model.validation.CwomValidator;
import dev.cwom.model.validation.Violation;
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
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;

/**
 * Every error as {@code application/problem+json} with a stable {@code code}: Spring's own MVC errors (405, 415,
 * missing parameters, type mismatches) through the base class, unreadable JSON as 400 with the JSON path of the
 * offending value (a document beyond the parser's limits as {@code JSON_LIMIT_EXCEEDED}), {@link ApiProblem}s as they say, and only genuine server faults as 500.
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

    /**
     * A unique or foreign key the pre-checks did not catch (a concurrent writer): a conflict, not a server fault. Data
     * PostgreSQL refuses as invalid (SQLState class 22) is the client's value, not a conflict.
     */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<Object> integrity(DataIntegrityViolationException e, WebRequest request) {
        SQLException invalidData = invalidData(e);
        if (invalidData != null) {
            return apiProblem(invalidData(invalidData), request);
        }
        log.info("Refused a write that conflicts with stored data: {}", e.getMostSpecificCause().getMessage());
        return apiProblem(ApiProblem.conflict("CONFLICT", "The request conflicts with stored data (another request "
                + "changed it at the same time); read the current state and retry", Map.of()), request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, WebRequest request) {
        SQLException invalidData = invalidData(e);
        if (invalidData != null) {
            return apiProblem(invalidData(invalidData), request);
        }
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

    /** A body that could not be read: the mapper's failure as schemas' CwomValidator words it, with its JSON path. */
    static ApiProblem unreadable(HttpMessageNotReadableException e) {
        Throwable cause = e.getCause();
        if (cause == null) {
            return new ApiProblem(HttpStatus.BAD_REQUEST, "MISSING_BODY",
                    "The request needs a JSON body (Content-Type: application/json)");
        }
        if (cause instanceof StreamConstraintsException tooLarge) {
            Violation violation = CwomValidator.violationOf(tooLarge);
            return new ApiProblem(HttpStatus.BAD_REQUEST, "JSON_LIMIT_EXCEEDED", "The body at " + violation.path()
                    + " " + violation.message() + " (limits: cwom.http.json.*)", Map.of("errors", List.of(violation)));
        }
        if (cause instanceof StreamReadException malformed) {
            Violation violation = CwomValidator.violationOf(malformed);
            return new ApiProblem(HttpStatus.BAD_REQUEST, "MALFORMED_JSON", "The body " + violation.message()
                    + "; send one well-formed JSON object", Map.of("errors", List.of(violation)));
        }
        if (cause instanceof JacksonException unreadable) {
            return ApiProblem.invalid(List.of(CwomValidator.violationOf(unreadable)));
        }
        return new ApiProblem(HttpStatus.BAD_REQUEST, "MALFORMED_JSON",
                "The body could not be read as JSON; send one well-formed JSON object");
    }

    /**
     * The SQL error of class 22 ("data exception": a value the database cannot take, e.g. U+0000 in text or jsonb,
     * a number out of range) behind {@code e}, if that is what it is. The validator refuses such values first; this
     * keeps a value it did not foresee a 400 rather than a misleading 409 or a 500.
     */
    private static @Nullable SQLException invalidData(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
                return sql;
            }
        }
        return null;
    }

    private static ApiProblem invalidData(SQLException e) {
        log.info("Refused a value the database cannot store (SQLState {}): {}", e.getSQLState(), e.getMessage());
        return new ApiProblem(HttpStatus.BAD_REQUEST, "INVALID_DATA", "The request holds a value the database cannot "
                + "store (SQLState " + e.getSQLState() + ", for example U+0000 in a text or a number out of range); "
                + "nothing was stored: fix the value and send it again", Map.of("sql_state", e.getSQLState()));
    }

    private static @Nullable URI instance(WebRequest request) {
        if (request instanceof ServletWebRequest servlet) {
            return URI.create(servlet.getRequest().getRequestURI());
        }
        return null;
    }
}
