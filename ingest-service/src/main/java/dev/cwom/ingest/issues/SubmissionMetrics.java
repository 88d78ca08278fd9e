package dev.cwom.ingest.issues;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The submissions of Issues, by the path they came in on:
 *
 * <ul>
 *   <li>{@code cwom_submissions_total{path, outcome}}: {@code path} is {@code rest} or {@code kafka}, {@code outcome}
 *       is {@code accepted} (stored), {@code duplicate} (already stored, nothing changed), {@code rejected} (refused
 *       for good: a problem answer, or a record sent to {@code cwom.issues.rejected.v1}) or {@code error} (REST
 *       only: an unexpected failure answered 500; Kafka retries such a record, and counts its final outcome);</li>
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

    /**
     * {@link #stored}, counted when the transaction in progress commits (a batch rolled back and applied again is
     * counted once); at once when there is none.
     */
    public void storedAfterCommit(String path, boolean created) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            stored(path, created);
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                stored(path, created);
            }
        });
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
