package dev.cwom.ingest.intake;

import dev.cwom.service.tracing.TraceHeaders;
import dev.cwom.service.tracing.TracedWork;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.support.KafkaUtils;

/** Hands each decoded submission to {@link SubmissionIntake}; failures go to the container's error handler. */
final class IntakeListener implements MessageListener<byte[], Submission> {

    private final SubmissionIntake intake;
    private final TraceHeaders traces;

    IntakeListener(SubmissionIntake intake, TraceHeaders traces) {
        this.intake = intake;
        this.traces = traces;
    }

    @Override
    public void onMessage(ConsumerRecord<byte[], Submission> record) {
        if (record.value() == null) {
            throw new IntakeRejection("CORRUPT_PAYLOAD", "The record at " + KafkaUtils.format(record) + " has no value; "
                    + "publish an IssueSubmitted", java.util.Map.of());
        }
        // the submission's trace (its traceparent, or a new one) goes on to the Issue's outbox row and work order
        try (TracedWork stored = traces.continueFrom(record.headers(), "cwom.intake")) {
            intake.store(record.value().event(), KafkaUtils.format(record));
        }
    }
}
