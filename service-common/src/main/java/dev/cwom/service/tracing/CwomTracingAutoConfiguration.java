package dev.cwom.service.tracing;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.exporter.logging.LoggingSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;

/**
 * {@link TraceHeaders} over the tracer and propagator Spring Boot configures (a no-op pair when tracing is off), and
 * the span logging switch: {@code cwom.tracing.log-spans=true} adds a span exporter that writes each ended span to
 * the log, for the local stack and for a developer without an OTLP collector. Exporting to a collector is Boot's
 * own {@code management.opentelemetry.tracing.export.otlp.endpoint}, off until set.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
        "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration",
        "org.springframework.boot.micrometer.tracing.autoconfigure.NoopTracerAutoConfiguration"})
public class CwomTracingAutoConfiguration {

    @Bean
    TraceHeaders traceHeaders(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        return new TraceHeaders(tracer.getIfAvailable(() -> Tracer.NOOP),
                propagator.getIfAvailable(() -> Propagator.NOOP));
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "cwom.tracing.log-spans")
    SpanExporter cwomLoggingSpanExporter() {
        return LoggingSpanExporter.create();
    }
}
