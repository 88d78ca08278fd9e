package dev.cwom.ingest.web;

/** One field error: the JSON path of the offending value (e.g. {@code $.assignees[0].actor_id}) and what is wrong. */
public record Violation(String path, String message) {
}
