package dev.cwom.ingest.store;

import dev.cwom.ingest.problems.ApiProblem;
import dev.cwom.model.validation.Violation;
import dev.cwom.model.Ref;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Checks the references of an object before it is stored: a Ref of the wrong kind is a 400 field error, a Ref to
 * an object that does not exist a 422 listing each missing one with its path ({@code UNKNOWN_REFERENCE}); callers
 * answer a Ref that exists but does not fit the others with {@link #mismatched} ({@code REFERENCE_MISMATCH}).
 */
@Component
public class References {

    private final CwomRows rows;

    public References(CwomRows rows) {
        this.rows = rows;
    }

    /** Collects the references to check, each with its JSON path and the kind it must point to. */
    public static final class Check {
        private final List<Expected> expected = new ArrayList<>();

        public Check ref(String path, @Nullable Ref ref, String kind) {
            if (ref != null) {
                expected.add(new Expected(path, ref, kind));
            }
            return this;
        }

        public Check refs(String path, List<Ref> refs, String kind) {
            for (int i = 0; i < refs.size(); i++) {
                ref(path + "[" + i + "]", refs.get(i), kind);
            }
            return this;
        }
    }

    private record Expected(String path, Ref ref, String kind) {
    }

    /** A reference to an object that does not exist. */
    public record Missing(String path, String kind, String id) {
    }

    public static Check check() {
        return new Check();
    }

    /** Throws 400 for wrong kinds, 422 for missing objects; returns when every reference resolves. */
    public void requireExisting(Check check) {
        List<Violation> wrongKinds = new ArrayList<>();
        Map<String, Set<String>> idsByKind = new LinkedHashMap<>();
        for (Expected e : check.expected) {
            if (!e.kind().equals(e.ref().kind())) {
                wrongKinds.add(new Violation(e.path() + ".kind", "must be '" + e.kind() + "' here, not '"
                        + e.ref().kind() + "'"));
            } else {
                idsByKind.computeIfAbsent(e.kind(), k -> new HashSet<>()).add(e.ref().id());
            }
        }
        if (!wrongKinds.isEmpty()) {
            throw ApiProblem.invalid(wrongKinds);
        }
        Map<String, Set<String>> found = new LinkedHashMap<>();
        idsByKind.forEach((kind, ids) -> found.put(kind,
                new HashSet<>(rows.existing(CwomTables.forKind(kind), List.copyOf(ids)))));
        List<Missing> missing = check.expected.stream()
                .filter(e -> !found.get(e.kind()).contains(e.ref().id()))
                .map(e -> new Missing(e.path(), e.kind(), e.ref().id()))
                .toList();
        if (!missing.isEmpty()) {
            throw unknown(missing);
        }
    }

    /** A reference to an object that exists but does not fit the rest of the request, and why. */
    public record Mismatch(String path, String kind, String id, String reason) {
    }

    /** 422 naming the reference that does not fit and why. */
    public static ApiProblem mismatched(Mismatch mismatch) {
        return new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "REFERENCE_MISMATCH", "The request's "
                + mismatch.path() + " (" + mismatch.kind() + " '" + mismatch.id() + "') " + mismatch.reason(),
                Map.of("mismatched", List.of(mismatch)));
    }

    /** 422 naming the missing objects. */
    public static ApiProblem unknown(List<Missing> missing) {
        String list = missing.stream().map(m -> m.kind() + " '" + m.id() + "' at " + m.path())
                .reduce((a, b) -> a + ", " + b).orElse("");
        return new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "UNKNOWN_REFERENCE",
                "The request refers to objects that do not exist: " + list + "; create them first or fix the ids",
                Map.of("missing", missing));
    }
}
