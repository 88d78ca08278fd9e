package dev.cwom.ingest.web;

import dev.cwom.ingest.problems.ApiProblem;
import dev.cwom.model.CwomEnum;
import dev.cwom.model.Ids;
import org.jspecify.annotations.Nullable;

/** Checks of list filters given as query parameters; a bad value is a 400 naming the parameter. */
public final class QueryParams {

    private QueryParams() {
    }

    /** The CWOM value of an enum filter, checked; null when the parameter is absent. */
    public static <E extends Enum<E> & CwomEnum> @Nullable String enumValue(String name, @Nullable String raw,
            Class<E> type) {
        if (raw == null) {
            return null;
        }
        try {
            return CwomEnum.parse(type, raw).value();
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalid("query." + name, e.getMessage());
        }
    }

    /** An id filter, checked to be a ULID; null when absent. */
    public static @Nullable String ulid(String name, @Nullable String raw) {
        if (raw != null && !Ids.isUlid(raw)) {
            throw ApiProblem.invalid("query." + name, "'" + raw + "' is not a ULID (26 characters of Crockford base32)");
        }
        return raw;
    }
}
