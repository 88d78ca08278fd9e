package dev.cwom.ingest.intake;

import dev.cwom.events.IssueSubmitted;

/** {@link IssueSubmitted} events of the intake topic, with their bytes; configured by class name, hence a class. */
public final class SubmissionDeserializer extends ReceivedEventDeserializer<IssueSubmitted, Submission> {

    public SubmissionDeserializer() {
        super(IssueSubmitted.class, "IssueSubmitted events", Submission::new);
    }
}
