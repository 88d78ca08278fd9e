package dev.cwom.ingest.web;

import dev.cwom.ingest.problems.ApiProblem;
import org.springframework.http.HttpStatus;

/** The 405 for changing an immutable kind: say why, and what to do instead. */
public final class Immutable {

    private Immutable() {
    }

    public static ApiProblem refused(String kind, String collectionPath) {
        return new ApiProblem(HttpStatus.METHOD_NOT_ALLOWED, "IMMUTABLE", kind + " objects are immutable: a change "
                + "is a new version. POST the new version to " + collectionPath + " instead of changing or deleting this one",
                java.util.Map.of("kind", kind));
    }
}
