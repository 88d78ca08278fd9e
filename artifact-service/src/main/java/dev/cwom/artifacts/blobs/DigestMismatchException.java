package dev.cwom.artifacts.blobs;

/** An upload's bytes do not hash to the digest the client said to expect; nothing of it was kept. */
public class DigestMismatchException extends RuntimeException {

    private final BlobDigest expected;
    private final BlobDigest actual;

    DigestMismatchException(BlobDigest expected, BlobDigest actual) {
        super("Uploaded body hashes to " + actual + " but " + expected
                + " was expected: the body changed in transit or the expected digest is wrong; nothing was stored");
        this.expected = expected;
        this.actual = actual;
    }

    public BlobDigest expected() {
        return expected;
    }

    public BlobDigest actual() {
        return actual;
    }
}
