package dev.cwom.artifacts.sink;

import dev.cwom.events.ArtifactCreated;
import dev.cwom.events.RunEvent;
import dev.cwom.model.Artifact;
import org.jspecify.annotations.Nullable;

/** A decoded, valid event ready to be written, with its position in the batch it came in. */
public sealed interface SinkEvent {

    /** Index of the source record in the listener's batch (0 when the event did not come from Kafka). */
    int index();

    /** The id of the run the event belongs to. */
    String runId();

    /** Type and ids, for logs and error messages (never the payload). */
    String describe();

    /**
     * A {@code RunStarted}, {@code RunHeartbeat} or {@code RunFinished}.
     *
     * @param index position in the batch
     * @param event the event
     */
    record RunEventReceived(int index, RunEvent event) implements SinkEvent {

        @Override
        public String runId() {
            return event.getRunId();
        }

        @Override
        public String describe() {
            return event.getPayload().getClass().getSimpleName() + " " + event.getEventId() + " of run "
                    + event.getRunId();
        }
    }

    /**
     * An {@code ArtifactCreated} with the verification the sink computed for it.
     *
     * @param index position in the batch
     * @param event the event
     * @param verification the result of checking its body in the blob store
     * @param verificationNote why its body in the blob store was not checked, or null
     */
    record ArtifactReceived(int index, ArtifactCreated event, Artifact.Verification verification,
            @Nullable String verificationNote)
            implements SinkEvent {

        @Override
        public String runId() {
            return event.getRunId();
        }

        @Override
        public String describe() {
            return "ArtifactCreated " + event.getEventId() + " (artifact " + event.getArtifactId() + " of run "
                    + event.getRunId() + ")";
        }
    }
}
