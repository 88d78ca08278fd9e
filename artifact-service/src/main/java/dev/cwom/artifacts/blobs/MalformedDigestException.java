package dev.cwom.artifacts.blobs;

/** A text that should name a blob is not a sha256 digest. */
public class MalformedDigestException extends IllegalArgumentException {

    private final String offending;

    MalformedDigestException(String offending) {
        super("Blob digest '" + abbreviate(offending) + "' is malformed: expected " + BlobDigest.EXPECTED_FORM
                + ", e.g. 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'");
        this.offending = offending;
    }

    /** The text that failed to parse. */
    public String offending() {
        return offending;
    }

    // Echoing a megabyte of garbage back in an error message helps nobody.
    private static String abbreviate(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "...";
    }
}
