package dev.cwom.service.tracing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;

/**
 * A span in scope on the current thread: what is written or called while it is open carries its trace context.
 * Closing it leaves the scope and ends the span, so use it in try-with-resources.
 */
public final class TracedWork implements AutoCloseable {

    private final Span span;
    private final Tracer.SpanInScope scope;

    TracedWork(Span span, Tracer.SpanInScope scope) {
        this.span = span;
        this.scope = scope;
    }

    /** The span, e.g. to tag it or to record an error on it. */
    public Span span() {
        return span;
    }

    /** The trace's id, 32 lower-case hex digits (all zero when tracing is off). */
    public String traceId() {
        return span.context().traceId();
    }

    @Override
    public void close() {
        scope.close();
        span.end();
    }
}
