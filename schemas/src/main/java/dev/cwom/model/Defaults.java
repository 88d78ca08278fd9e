package dev.cwom.model;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Null-to-empty normalisation used by the records' constructors, so that absent and empty mean the same. */
final class Defaults {

    private Defaults() {
    }

    static <T> List<T> list(@Nullable List<T> value) {
        return value == null ? List.of() : List.copyOf(value);
    }

    static Map<String, Object> meta(@Nullable Map<String, Object> value) {
        return value == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(value));
    }

    /** CWOM timestamps have millisecond precision, so that an object written as JSON and read back is equal. */
    static @Nullable Instant instant(@Nullable Instant value) {
        return value == null ? null : value.truncatedTo(ChronoUnit.MILLIS);
    }

    static <T> T or(@Nullable T value, T fallback) {
        return value == null ? fallback : value;
    }
}
