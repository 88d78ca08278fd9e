package dev.cwom.worker.executors;

import dev.cwom.model.FailureCategory;

/**
 * A work order's inputs cannot be trusted or used: a digest does not match the content, the JSON is not the kind it
 * claims, or the Issue or Repo is missing. Fatal for the attempt: the run fails with category {@code policy} and
 * nothing is executed; retrying the same work order gives the same answer.
 */
public final class InvalidPinnedInputException extends RuntimeException {

    InvalidPinnedInputException(String message) {
        super(message);
    }

    InvalidPinnedInputException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The failure category a run refused for this reason records. */
    public FailureCategory category() {
        return FailureCategory.POLICY;
    }
}
