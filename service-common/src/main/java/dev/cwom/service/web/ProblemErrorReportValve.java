package dev.cwom.service.web;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Tomcat's error report as {@code application/problem+json} instead of its HTML page, for what Tomcat refuses before
 * any servlet runs: an encoded {@code /} or {@code \} in the path ({@code ..%2F..%2Fetc}), a {@code %} not followed
 * by two hex digits, characters a request target must not hold. Such a request never reaches the application, so no
 * controller advice or error page can answer it. Errors the application answered itself have a body already and are
 * left alone, as Tomcat's own valve leaves them.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    /** The code of a request Tomcat refused as malformed (400). */
    static final String MALFORMED_REQUEST = "MALFORMED_REQUEST";

    /** Public and without arguments: {@code StandardHost} creates its error valve from the class name. */
    public ProblemErrorReportValve() {
        setShowReport(false);
        setShowServerInfo(false);
    }

    /**
     * Makes this valve the host's error report, in place of Tomcat's default and of the one Spring Boot adds (with
     * {@code server.error.include-stacktrace=never}); done as the host starts, after every customizer has run.
     */
    static void install(StandardHost host) {
        host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
        host.addLifecycleListener(event -> {
            if (Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve && !(valve instanceof ProblemErrorReportValve)) {
                        host.getPipeline().removeValve(valve);
                    }
                }
            }
        });
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int code = response.getStatus();
        if (code < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        HttpStatus status = HttpStatus.resolve(code);
        if (status == null) {
            status = code >= 500 ? HttpStatus.INTERNAL_SERVER_ERROR : HttpStatus.BAD_REQUEST;
        }
        String json = ProblemResponses.json(ProblemResponses.problem(status, code(status), detail(status), Map.of(),
                request));
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            PrintWriter writer = response.getReporter();
            if (writer != null) {
                writer.write(json);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response is already under way: there is nobody left to tell.
        }
    }

    private static String code(HttpStatus status) {
        if (status == HttpStatus.BAD_REQUEST) {
            return MALFORMED_REQUEST;
        }
        return status.is5xxServerError() ? "INTERNAL_ERROR" : status.name();
    }

    private static String detail(HttpStatus status) {
        if (status == HttpStatus.BAD_REQUEST) {
            return "The server refused the request before it reached the API: its URL or headers are malformed (for"
                    + " example an encoded '/' or '\\' (%2F, %5C) in the path, a '%' not followed by two hex digits,"
                    + " or a character that must be percent-encoded); fix how the client builds the URL";
        }
        if (status.is5xxServerError()) {
            return "The server failed to handle the request; this is not the client's fault. Retry later or report it";
        }
        return "The server refused the request before it reached the API (" + status.value() + " "
                + status.getReasonPhrase() + ")";
    }
}
