package dev.cwom.service.tracing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * The one way the pipeline carries a trace across its parts: W3C trace context ({@code traceparent},
 * {@code tracestate}) written into Kafka record headers, HTTP request headers or a stored map (the outbox row), and
 * read back into a span that continues it. The hand-built Kafka clients and HTTP clients use this rather than
 * observation-enabled templates, so every producer and consumer does it the same way whatever builds it.
 *
 * <p>Reading never fails: a missing or malformed {@code traceparent} starts a new trace, as W3C Trace Context asks.
 * Writing replaces what a header set held before, so a record re-sent (the outbox's at-least-once relay, a replayed
 * rejection) carries one trace context, not two.
 */
public final class TraceHeaders {

    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    private static final java.util.regex.Pattern TRACE_ID = java.util.regex.Pattern.compile("[0-9a-f]{32}");

    private static final Propagator.Getter<Headers> KAFKA_GET = (headers, key) -> {
        Header header = headers.lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    };
    private static final Propagator.Setter<Headers> KAFKA_SET = (headers, key, value) -> {
        if (headers != null) {
            headers.remove(key);
            headers.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    };
    private static final Propagator.Getter<Map<String, String>> MAP_GET = Map::get;
    private static final Propagator.Setter<Map<String, String>> MAP_SET = (map, key, value) -> {
        if (map != null) {
            map.put(key, value);
        }
    };
    private static final Propagator.Setter<HttpRequest.Builder> HTTP_SET = (request, key, value) -> {
        if (request != null) {
            request.setHeader(key, value);
        }
    };

    private final Tracer tracer;
    private final Propagator propagator;

    public TraceHeaders(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** Starts a span named {@code name} that continues the trace in {@code headers} and puts it in scope. */
    public TracedWork continueFrom(Headers headers, String name) {
        return inScope(start(headers, name));
    }

    /** Starts a span named {@code name} that continues the trace stored as {@code carrier} and puts it in scope. */
    public TracedWork continueFrom(Map<String, String> carrier, String name) {
        return inScope(propagator.extract(carrier, MAP_GET).name(name).start());
    }

    /**
     * Starts a span continuing the trace in {@code headers} without putting it in scope: for work that outlives the
     * calling thread's turn (a worker's run), whose records then name it with {@link #inject(TraceContext, Headers)}.
     * The caller ends it.
     */
    public Span start(Headers headers, String name) {
        return propagator.extract(headers, KAFKA_GET).name(name).start();
    }

    /**
     * Starts a span named {@code name} in the trace {@code traceId} (32 hex digits) and scopes it; a new trace when
     * {@code traceId} is absent or malformed. For work on something whose trace id alone was kept (a Run's
     * {@code meta.trace_id}), not the span that did it: the new span's parent id is made up, so trace viewers show it
     * as a second root of the same trace.
     */
    public TracedWork continueTrace(@Nullable String traceId, String name) {
        if (traceId == null || !TRACE_ID.matcher(traceId).matches() || traceId.chars().allMatch(c -> c == '0')) {
            return startInScope(name);
        }
        String parent = String.format("%016x", java.util.concurrent.ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE));
        return continueFrom(Map.of(TRACEPARENT, "00-" + traceId + "-" + parent + "-01"), name);
    }

    /** Starts a span named {@code name} in the current trace, or a new trace when there is none, and scopes it. */
    public TracedWork startInScope(String name) {
        return inScope(tracer.nextSpan().name(name).start());
    }

    /** Writes the current span's trace context into {@code headers}; nothing when no span is current. */
    public void inject(Headers headers) {
        Span current = tracer.currentSpan();
        if (current != null) {
            inject(current.context(), headers);
        }
    }

    /** Writes {@code context} into {@code headers}. */
    public void inject(TraceContext context, Headers headers) {
        propagator.inject(context, headers, KAFKA_SET);
    }

    /** Writes {@code context} into an HTTP request about to be sent to another part of the pipeline. */
    public void inject(TraceContext context, HttpRequest.Builder request) {
        propagator.inject(context, request, HTTP_SET);
    }

    /** Writes the current span's trace context into an HTTP request; nothing when no span is current. */
    public void inject(HttpRequest.Builder request) {
        Span current = tracer.currentSpan();
        if (current != null) {
            inject(current.context(), request);
        }
    }

    /**
     * The current trace context as header name -> value ({@code traceparent}, maybe {@code tracestate}), to store
     * beside work that a later thread continues (the outbox row); empty when no span is current.
     */
    public Map<String, String> current() {
        Map<String, String> carrier = new LinkedHashMap<>();
        Span current = tracer.currentSpan();
        if (current != null) {
            propagator.inject(current.context(), carrier, MAP_SET);
        }
        return carrier;
    }

    /** The current trace's id (32 lower-case hex digits), or null when no span is current. */
    public @Nullable String currentTraceId() {
        Span current = tracer.currentSpan();
        return current == null ? null : current.context().traceId();
    }

    /**
     * W3C trace context over a plain OpenTelemetry SDK that samples every span and exports none: for clients built
     * outside a Spring context (tests, the benchmark), which then write and continue traces exactly as the services
     * do.
     */
    public static TraceHeaders standalone() {
        io.opentelemetry.api.trace.Tracer otel = SdkTracerProvider.builder().build().get("cwom");
        return new TraceHeaders(new OtelTracer(otel, new OtelCurrentTraceContext(), event -> { }),
                new OtelPropagator(ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel));
    }

    /** Writes a stored trace context ({@link #current()}) into {@code headers}, replacing what they held. */
    public static void write(Map<String, String> context, Headers headers) {
        context.forEach((key, value) -> KAFKA_SET.set(headers, key, value));
    }

    /** Writes a stored trace context ({@link #current()}) into an HTTP request to another part of the pipeline. */
    public static void write(Map<String, String> context, HttpRequest.Builder request) {
        context.forEach((key, value) -> HTTP_SET.set(request, key, value));
    }

    /** Copies the trace context of {@code from} (a record being rejected or answered) onto {@code to}. */
    public static void copy(Headers from, Headers to) {
        for (String key : new String[] {TRACEPARENT, TRACESTATE}) {
            Header header = from.lastHeader(key);
            if (header != null) {
                to.remove(key);
                to.add(key, header.value());
            }
        }
    }

    private TracedWork inScope(Span span) {
        return new TracedWork(span, tracer.withSpan(span));
    }
}
