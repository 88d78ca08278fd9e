package dev.cwom.ingest.intake;

import dev.cwom.service.kafka.ReceivedValue;
import dev.cwom.events.IssueSubmitted;

/**
 * A decoded submission with the exact bytes it came in, so that a submission rejected after decoding still goes to
 * the rejected topic byte for byte.
 *
 * @param event the decoded event
 * @param raw   the record value as received
 */
public record Submission(IssueSubmitted event, byte[] raw) implements ReceivedValue {
}
