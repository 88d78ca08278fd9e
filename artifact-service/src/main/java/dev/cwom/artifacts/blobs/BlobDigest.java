package dev.cwom.artifacts.blobs;

import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The sha256 digest that names a blob, written {@code sha256:<64 lowercase hex>} as in CWOM's
 * {@code Artifact.digest}. Being the only name a blob has, it is also what keeps paths inside the store's root.
 *
 * @param hex the 64 lowercase hex characters
 */
public record BlobDigest(String hex) {

    /** The algorithm prefix of the textual form. */
    public static final String PREFIX = "sha256:";

    /** What {@link #parse} accepts, for error messages. */
    public static final String EXPECTED_FORM = "'sha256:' followed by 64 hex characters, or the 64 hex characters alone";

    private static final Pattern HEX_64 = Pattern.compile("[0-9a-f]{64}");

    public BlobDigest {
        if (!HEX_64.matcher(hex).matches()) {
            throw new MalformedDigestException(hex);
        }
    }

    /** Parses {@code sha256:<hex>} or the bare 64 hex characters, either case. */
    public static BlobDigest parse(String text) {
        String lower = text.strip().toLowerCase(Locale.ROOT);
        String hex = lower.startsWith(PREFIX) ? lower.substring(PREFIX.length()) : lower;
        if (!HEX_64.matcher(hex).matches()) {
            throw new MalformedDigestException(text);
        }
        return new BlobDigest(hex);
    }

    /** The digest of a finished sha256 computation. */
    static BlobDigest of(byte[] sha256) {
        return new BlobDigest(HexFormat.of().formatHex(sha256));
    }

    /** The textual form {@code sha256:<hex>}, as used in JSON, URIs and ETags. */
    @Override
    public String toString() {
        return PREFIX + hex;
    }
}
