package dev.cwom.ingest.web;

import dev.cwom.ingest.problems.ApiProblem;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** The caller's trace id, from a W3C {@code traceparent} header or a plain {@code X-Trace-Id} header. */
public final class TraceIds {

    public static final String TRACEPARENT = "traceparent";
    public static final String X_TRACE_ID = "X-Trace-Id";

    private static final Pattern TRACEPARENT_FORMAT = Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private TraceIds() {
    }

    /**
     * The trace id the caller gave, or null. {@code traceparent} wins (its trace-id part is kept); an invalid value
     * is a 400 rather than silently dropped, so a caller notices a broken propagation.
     */
    public static @Nullable String from(@Nullable String traceparent, @Nullable String xTraceId) {
        if (traceparent != null && !traceparent.isBlank()) {
            Matcher m = TRACEPARENT_FORMAT.matcher(traceparent.trim());
            if (!m.matches()) {
                throw ApiProblem.invalid("header.traceparent", "'" + traceparent
                        + "' is not a W3C traceparent; use version-traceid-parentid-flags, e.g. "
                        + "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
            }
            return m.group(1);
        }
        if (xTraceId != null && !xTraceId.isBlank()) {
            if (!PLAIN.matcher(xTraceId.trim()).matches()) {
                throw ApiProblem.invalid("header.X-Trace-Id", "'" + xTraceId
                        + "' is not a usable trace id; use 1..128 letters, digits, '.', '_', ':' or '-'");
            }
            return xTraceId.trim();
        }
        return null;
    }
}
