package dev.cwom.model.validation;

/**
 * One thing wrong with a CWOM object.
 *
 * @param path    where, as a JSON path in the spec's names, e.g. {@code $.constraints.time.available_minutes} or
 *                {@code $.acceptance.criteria[0]}; {@code $} is the object itself
 * @param message what is wrong and what is expected, readable by the person who sent the object
 */
public record Violation(String path, String message) {

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
