package dev.cwom.service.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes an {@code application/problem+json} answer where no controller advice can: in servlet filters, security
 * entry points and handlers, before a request reaches Spring MVC. The body has the shape of every other problem of
 * the services: {@code type}, {@code title}, {@code status}, {@code detail}, {@code instance} and a stable
 * {@code code} that clients can switch on without parsing the detail.
 */
public final class ProblemResponses {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ProblemResponses() {
    }

    /** The problem as Spring's {@link ProblemDetail}, with {@code code} and the extra properties. */
    public static ProblemDetail problem(HttpStatus status, String code, String detail, Map<String, ?> properties,
            HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setInstance(URI.create(safePath(request)));
        problem.setProperty("code", code);
        new LinkedHashMap<>(properties).forEach(problem::setProperty);
        return problem;
    }

    /** Writes the problem unless the response is already committed (then there is nothing left to say). */
    public static void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String code,
            String detail, Map<String, ?> properties) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        ProblemDetail problem = problem(status, code, detail, properties, request);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(JSON.writeValueAsBytes(body(problem)));
        response.flushBuffer();
    }

    /** The problem as JSON text, for writers that are handed a character stream (Tomcat's error report). */
    public static String json(ProblemDetail problem) {
        return JSON.writeValueAsString(body(problem));
    }

    /** The JSON members as Spring MVC writes a ProblemDetail: the extra properties beside the standard ones. */
    private static Map<String, Object> body(ProblemDetail problem) {
        Map<String, Object> body = new LinkedHashMap<>();
        // Spring leaves type null for the default "about:blank" (RFC 9457) and omits null members, as here
        if (problem.getType() != null) {
            body.put("type", problem.getType().toString());
        }
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        if (problem.getInstance() != null) {
            body.put("instance", problem.getInstance().toString());
        }
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        return body;
    }

    /** The request's path as a relative URI, or "/" when the raw path is not a valid URI (which is why we answer). */
    private static String safePath(HttpServletRequest request) {
        String uri = request.getRequestURI();
        try {
            return uri == null ? "/" : URI.create(uri).getRawPath();
        } catch (IllegalArgumentException e) {
            return "/";
        }
    }
}
