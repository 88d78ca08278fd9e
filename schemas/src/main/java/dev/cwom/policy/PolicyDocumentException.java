package dev.cwom.policy;

/** A policy document that cannot be read or is not a valid policy; the message names the field and the fix. */
public class PolicyDocumentException extends IllegalArgumentException {

    public PolicyDocumentException(String message) {
        super(message);
    }

    public PolicyDocumentException(String message, Throwable cause) {
        super(message, cause);
    }
}
