package dev.cwom.model.validation;

import java.util.List;
import java.util.stream.Collectors;

/** A CWOM object broke the model's rules; a client mistake, never worth retrying with the same object. */
public class CwomValidationException extends RuntimeException {

    private final String kind;
    private final List<Violation> violations;

    public CwomValidationException(String kind, List<Violation> violations) {
        super(describe(kind, violations));
        this.kind = kind;
        this.violations = List.copyOf(violations);
    }

    /** The kind of object that was checked, e.g. {@code "Issue"}. */
    public String kind() {
        return kind;
    }

    /** Everything that is wrong, ordered by path. */
    public List<Violation> violations() {
        return violations;
    }

    private static String describe(String kind, List<Violation> violations) {
        return "Invalid " + kind + " (" + violations.size() + (violations.size() == 1 ? " problem" : " problems")
                + "): " + violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
    }
}
