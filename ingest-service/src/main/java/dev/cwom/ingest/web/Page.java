package dev.cwom.ingest.web;

import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import org.springframework.web.util.UriComponents;

/**
 * One page of a list, ordered by id. {@code next} is the link to the following page (same filters, cursor = the
 * last id here) and is absent on the last page.
 */
public record Page<T>(List<T> items, @Nullable String next) {

    /**
     * Builds the page from up to {@code limit + 1} rows: the extra row only tells that another page exists.
     * Must run inside a request, whose path and query the next link repeats.
     */
    public static <T> Page<T> of(List<T> rowsPlusOne, PageQuery query, Function<T, @Nullable String> id) {
        if (rowsPlusOne.size() <= query.limit()) {
            return new Page<>(List.copyOf(rowsPlusOne), null);
        }
        List<T> items = List.copyOf(rowsPlusOne.subList(0, query.limit()));
        UriComponents next = ServletUriComponentsBuilder.fromCurrentRequest()
                .replaceQueryParam("cursor", id.apply(items.getLast()))
                .replaceQueryParam("limit", query.limit())
                .build();
        return new Page<>(items, next.getPath() + "?" + next.getQuery());
    }

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(items.stream().map(mapper).toList(), next);
    }
}
