package dev.cwom.service.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Code without Spring or Micrometer (the schema registry client in {@code schemas}) reads the current trace from
 * OpenTelemetry's own context: a span scoped through {@link TraceHeaders} must be current there too.
 */
class TraceHeadersTests {

    @Test
    void aSpanInScopeIsOpenTelemetrysCurrentSpanAndNoneOnceClosed() {
        TraceHeaders traces = TraceHeaders.standalone();

        try (TracedWork ignored = traces.startInScope("registry-call")) {
            assertThat(io.opentelemetry.api.trace.Span.current().getSpanContext().getTraceId())
                    .isEqualTo(traces.currentTraceId()).hasSize(32);
        }
        assertThat(io.opentelemetry.api.trace.Span.current().getSpanContext().isValid()).isFalse();
    }
}
