package dev.cwom.service.kafka;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code cwom_records_rejected_total{topic, reason}}: records sent to a rejected topic, by that topic and the
 * reason code ({@code RecordRejected.reason_code}, a closed set), in every service that rejects records.
 */
public final class RejectionMetrics {

    public static final String REJECTED = "cwom.records.rejected";

    private final MeterRegistry registry;

    public RejectionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One record published to {@code rejectedTopic} with {@code reasonCode}. */
    public void rejected(String rejectedTopic, String reasonCode) {
        registry.counter(REJECTED, "topic", rejectedTopic, "reason", reasonCode).increment();
    }
}
