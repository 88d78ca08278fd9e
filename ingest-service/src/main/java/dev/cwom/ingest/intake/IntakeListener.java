package dev.cwom.ingest.intake;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.support.KafkaUtils;

/** Hands each decoded submission to {@link SubmissionIntake}; failures go to the container's error handler. */
final class IntakeListener implements MessageListener<byte[], Submission> {

    private final SubmissionIntake intake;

    IntakeListener(SubmissionIntake intake) {
        this.intake = intake;
    }

    @Override
    public void onMessage(ConsumerRecord<byte[], Submission> record) {
        if (record.value() == null) {
            throw new IntakeRejection("CORRUPT_PAYLOAD", "The record at " + KafkaUtils.format(record) + " has no value; "
                    + "publish an IssueSubmitted", java.util.Map.of());
        }
        intake.store(record.value().event(), KafkaUtils.format(record));
    }
}
