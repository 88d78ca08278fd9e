package dev.cwom.json;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.module.SimpleModule;

/**
 * CWOM timestamps: ISO-8601 in UTC with exactly millisecond precision ({@code 2026-01-25T10:15:30.123Z}).
 * One fixed width keeps the written form, the canonical JSON and thus the digests stable: an Instant written and
 * read back is equal to the one written, and a timestamp with a non-UTC offset is refused instead of silently moved.
 */
public final class UtcInstants {

    private static final DateTimeFormatter WRITE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private static final Instant FIRST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LAST = Instant.parse("9999-12-31T23:59:59.999Z");

    static final String EXPECTED = "an ISO-8601 UTC timestamp such as 2026-01-25T10:15:30.123Z";

    private UtcInstants() {
    }

    /** The instant at CWOM's precision (milliseconds); null stays null. */
    public static @Nullable Instant truncate(@Nullable Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS);
    }

    /** The CWOM text of an instant, always with milliseconds and {@code Z}. */
    public static String format(Instant instant) {
        Instant t = instant.truncatedTo(ChronoUnit.MILLIS);
        if (t.isBefore(FIRST) || t.isAfter(LAST)) {
            throw new IllegalArgumentException(instant + " is outside the years 0000..9999 that ISO-8601 timestamps cover");
        }
        return WRITE.format(t);
    }

    /**
     * Parses a CWOM timestamp. Any fraction of a second is accepted and truncated to milliseconds; the offset must be
     * UTC ({@code Z} or {@code +00:00}).
     *
     * @throws IllegalArgumentException naming the value and the expected form
     */
    public static Instant parse(String text) {
        OffsetDateTime parsed;
        try {
            parsed = OffsetDateTime.parse(text.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a timestamp; expected " + EXPECTED, e);
        }
        if (!parsed.getOffset().equals(ZoneOffset.UTC)) {
            throw new IllegalArgumentException("'" + text + "' has the offset " + parsed.getOffset()
                    + "; CWOM timestamps are in UTC: write " + format(parsed.toInstant()));
        }
        return parsed.toInstant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** The Jackson module that reads and writes {@link Instant} the CWOM way. */
    public static SimpleModule module() {
        return new SimpleModule("cwom-utc-instants")
                .addSerializer(Instant.class, new Writer())
                .addDeserializer(Instant.class, new Reader());
    }

    private static final class Writer extends ValueSerializer<Instant> {
        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializationContext ctxt) {
            gen.writeString(format(value));
        }

        @Override
        public Class<?> handledType() {
            return Instant.class;
        }
    }

    private static final class Reader extends ValueDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return ctxt.reportInputMismatch(this, "expected %s, not %s", EXPECTED, p.currentToken());
            }
            String text = p.getString();
            try {
                return parse(text);
            } catch (IllegalArgumentException e) {
                throw InvalidFormatException.from(p, e.getMessage(), text, Instant.class);
            }
        }

        @Override
        public Class<?> handledType() {
            return Instant.class;
        }
    }
}
