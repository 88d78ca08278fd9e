package dev.cwom.ingest.intake;

import dev.cwom.ingest.issues.SubmissionMetrics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.support.KafkaUtils;

/**
 * Hands each decoded submission to {@link SubmissionIntake}; failures go to the container's error handler. Counts
 * the outcome of each attempt ({@link SubmissionMetrics}, path {@code kafka}); an undecodable record never reaches
 * the listener and is counted by the rejections of {@code cwom.issues.rejected.v1} only.
 */
final class IntakeListener implements MessageListener<byte[], Submission> {

    private final SubmissionIntake intake;
    private final SubmissionMetrics metrics;

    IntakeListener(SubmissionIntake intake, SubmissionMetrics metrics) {
        this.intake = intake;
        this.metrics = metrics;
    }

    @Override
    public void onMessage(ConsumerRecord<byte[], Submission> record) {
        if (record.value() == null) {
            metrics.rejected(SubmissionMetrics.KAFKA, "CORRUPT_PAYLOAD");
            throw new IntakeRejection("CORRUPT_PAYLOAD", "The record at " + KafkaUtils.format(record) + " has no value; "
                    + "publish an IssueSubmitted", java.util.Map.of());
        }
        SubmissionIntake.Outcome outcome;
        try {
            outcome = intake.store(record.value().event(), KafkaUtils.format(record));
        } catch (IntakeRejection rejection) {
            metrics.rejected(SubmissionMetrics.KAFKA, rejection.reasonCode());
            throw rejection;
        } catch (RuntimeException e) {
            metrics.failed(SubmissionMetrics.KAFKA);
            throw e;
        }
        metrics.stored(SubmissionMetrics.KAFKA, !outcome.duplicate());
    }
}
