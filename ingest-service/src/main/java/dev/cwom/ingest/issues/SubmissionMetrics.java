package dev.cwom.ingest.issues;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * The submissions of Issues, by the path they came in on:
 *
 * <ul>
 *   <li>{@code cwom_submissions_total{path, outcome}}: {@code path} is {@code rest} or {@code kafka}, {@code outcome}
 *       is {@code accepted} (stored), {@code duplicate} (already stored, nothing changed), {@code rejected} (refused
 *       for good: a problem answer, or a record sent to {@code cwom.issues.rejected.v1}) or {@code error} (an
 *       unexpected failure; REST answered 500, Kafka retries the record);</li>
 *   <li>{@code cwom_submissions_rejected_total{path, reason}}: the rejected ones by reason code (the problem's
 *       {@code code}, or the {@code RecordRejected.reason_code}).</li>
 * </ul>
 */
@Component
public class SubmissionMetrics {

    public static final String SUBMISSIONS = "cwom.submissions";
    public static final String REJECTED = "cwom.submissions.rejected";

    public static final String REST = "rest";
    public static final String KAFKA = "kafka";

    private final MeterRegistry registry;

    public SubmissionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A stored submission; {@code created} false when it was stored before. */
    public void stored(String path, boolean created) {
        count(path, created ? "accepted" : "duplicate");
    }

    public void rejected(String path, String reasonCode) {
        count(path, "rejected");
        registry.counter(REJECTED, "path", path, "reason", reasonCode).increment();
    }

    public void failed(String path) {
        count(path, "error");
    }

    private void count(String path, String outcome) {
        registry.counter(SUBMISSIONS, "path", path, "outcome", outcome).increment();
    }
}
