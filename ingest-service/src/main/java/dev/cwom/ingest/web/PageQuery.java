package dev.cwom.ingest.web;

import dev.cwom.ingest.problems.ApiProblem;
import dev.cwom.model.Ids;
import org.jspecify.annotations.Nullable;

/** {@code limit} (1..1000, default 100) and {@code cursor} (the id of the last item of the previous page). */
public record PageQuery(int limit, @Nullable String cursor) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    /** Checks the raw query parameters, answering 400 with the parameter's name when one is out of range. */
    public static PageQuery of(@Nullable Integer limit, @Nullable String cursor) {
        if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
            throw ApiProblem.invalid("query.limit", limit + " is out of range; use 1.." + MAX_LIMIT
                    + " (default " + DEFAULT_LIMIT + ")");
        }
        if (cursor != null && !Ids.isUlid(cursor)) {
            throw ApiProblem.invalid("query.cursor", "'" + cursor
                    + "' is not a cursor; pass the 'next' link of the previous page, or the id of its last item");
        }
        return new PageQuery(limit == null ? DEFAULT_LIMIT : limit, cursor);
    }
}
