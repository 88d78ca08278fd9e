package dev.cwom.ingest.runstatus;

import dev.cwom.events.RunEvent;
import dev.cwom.ingest.intake.ReceivedEventDeserializer;

/** {@link RunEvent}s of the runs topic, with their bytes; configured by class name, hence a class. */
public final class RunEventDeserializer extends ReceivedEventDeserializer<RunEvent, ReceivedRunEvent> {

    public RunEventDeserializer() {
        super(RunEvent.class, "RunEvent envelopes", ReceivedRunEvent::new);
    }
}
