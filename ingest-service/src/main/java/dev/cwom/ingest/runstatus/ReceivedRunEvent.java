package dev.cwom.ingest.runstatus;

import dev.cwom.events.RunEvent;
import dev.cwom.service.kafka.ReceivedValue;

/**
 * A decoded run event with the exact bytes it came in, so that an event ingest cannot apply goes to
 * {@code cwom.runs.rejected.v1} byte for byte.
 *
 * @param event the decoded event
 * @param raw   the record value as received
 */
public record ReceivedRunEvent(RunEvent event, byte[] raw) implements ReceivedValue {
}
