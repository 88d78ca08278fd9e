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

    @Test
    void workOnARunWhoseTraceIdAloneWasKeptJoinsThatTraceAndAMalformedIdStartsANewOne() {
        TraceHeaders traces = TraceHeaders.standalone();
        String kept = "4bf92f3577b34da6a3ce929d0e0e4736";

        try (TracedWork ignored = traces.continueTrace(kept, "cwom.provenance")) {
            assertThat(traces.currentTraceId()).isEqualTo(kept);
            assertThat(traces.current().get(TraceHeaders.TRACEPARENT)).startsWith("00-" + kept + "-");
        }
        for (String malformed : new String[] {null, "", "xyz", "00000000000000000000000000000000", kept + "0"}) {
            try (TracedWork ignored = traces.continueTrace(malformed, "cwom.provenance")) {
                assertThat(traces.currentTraceId()).as("%s", malformed).hasSize(32).isNotEqualTo(kept);
            }
        }
    }
}
