/**
 * One trace from submit to stored artifact: W3C trace context ({@code traceparent}, {@code tracestate}) written on
 * every Kafka record and HTTP call between the pipeline's parts and continued by whoever reads them
 * ({@link dev.cwom.service.tracing.TraceHeaders}), over Micrometer Tracing and the OpenTelemetry SDK that Spring Boot
 * configures.
 */
@NullMarked
package dev.cwom.service.tracing;

import org.jspecify.annotations.NullMarked;
