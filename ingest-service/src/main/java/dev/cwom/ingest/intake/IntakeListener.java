package dev.cwom.ingest.intake;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.MessageListener;

/** Hands each decoded submission to {@link SubmissionIntake}; failures go to the container's error handler. */
final class IntakeListener implements MessageListener<byte[], Submission> {

    private final SubmissionIntake intake;

    IntakeListener(SubmissionIntake intake) {
        this.intake = intake;
    }

    @Override
    public void onMessage(ConsumerRecord<byte[], Submission> record) {
        if (record.value() == null) {
            throw new IntakeRejection("CORRUPT_PAYLOAD", "The record at " + position(record) + " has no value; "
                    + "publish an IssueSubmitted", java.util.Map.of());
        }
        intake.store(record.value().event(), position(record));
    }

    static String position(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
