package dev.cwom.ingest.console;

import dev.cwom.events.RecordRejected;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * One record of {@code cwom.issues.rejected.v1} as the console shows it: why the intake refused it and where it came
 * from, with the original key and the start of the original value when they are text (an Avro payload is binary and
 * is only counted).
 *
 * @param position     where this rejection sits on the rejected topic, {@code <partition>-<offset>}: the cursor
 *                     of the next page when it is the last item
 * @param id           the RecordRejected's event id (absent when the record could not be decoded)
 * @param valuePreview the original value's first {@value #PREVIEW_CHARS} characters if it is UTF-8 text
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RejectedRecord(String position, @Nullable String id, @Nullable Instant rejectedAt, String reasonCode,
        String message, Map<String, String> details, @Nullable String sourceTopic, @Nullable Integer sourcePartition,
        @Nullable Long sourceOffset, @Nullable String key, @Nullable Integer valueBytes,
        @Nullable String valuePreview) {

    static final int PREVIEW_CHARS = 2000;

    static RejectedRecord of(String position, RecordRejected rejected) {
        Map<String, String> details = new TreeMap<>();
        rejected.getDetails().forEach((k, v) -> details.put(String.valueOf(k), String.valueOf(v)));
        ByteBuffer value = rejected.getOriginalValue();
        return new RejectedRecord(position, String.valueOf(rejected.getEventId()), rejected.getOccurredAt(),
                String.valueOf(rejected.getReasonCode()), String.valueOf(rejected.getMessage()), details,
                String.valueOf(rejected.getSourceTopic()), rejected.getSourcePartition(),
                rejected.getSourceOffset(), text(rejected.getOriginalKey(), 200),
                value == null ? null : value.remaining(), text(value, PREVIEW_CHARS));
    }

    /** A record on the rejected topic that is not a RecordRejected: shown, not hidden. */
    static RejectedRecord undecodable(String position, @Nullable Instant at, String problem) {
        return new RejectedRecord(position, null, at, "UNREADABLE_REJECTION",
                "This record on the rejected topic is not a RecordRejected: " + problem, Map.of(), null, null, null,
                null, null, null);
    }

    /** The bytes as text when they are valid UTF-8 without control characters other than white space. */
    static @Nullable String text(@Nullable ByteBuffer bytes, int maxChars) {
        if (bytes == null) {
            return null;
        }
        CharBuffer chars;
        try {
            chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes.duplicate());
        } catch (CharacterCodingException e) {
            return null;
        }
        for (int i = 0; i < chars.length(); i++) {
            char c = chars.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
                return null;
            }
        }
        String text = chars.toString();
        return text.length() <= maxChars ? text : text.substring(0, maxChars) + "…";
    }
}
