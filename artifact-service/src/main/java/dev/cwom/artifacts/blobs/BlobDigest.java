package dev.cwom.artifacts.blobs;

import dev.cwom.json.Digests;
import java.util.Locale;

/**
 * The sha256 digest that names a blob, written {@code sha256:<64 lowercase hex>} as in CWOM's
 * {@code Artifact.digest}. Being the only name a blob has, it is also what keeps paths inside the store's root.
 *
 * @param hex the 64 lowercase hex characters
 */
public record BlobDigest(String hex) {

    /** What {@link #parse} accepts, for error messages. */
    public static final String EXPECTED_FORM = "'sha256:' followed by 64 hex characters, or the 64 hex characters alone";

    public BlobDigest {
        if (!Digests.isSha256(Digests.PREFIX + hex)) {
            throw new MalformedDigestException(hex);
        }
    }

    /** Parses {@code sha256:<hex>} or the bare 64 hex characters, either case. */
    public static BlobDigest parse(String text) {
        String lower = text.strip().toLowerCase(Locale.ROOT);
        String digest = lower.startsWith(Digests.PREFIX) ? lower : Digests.PREFIX + lower;
        if (!Digests.isSha256(digest)) {
            throw new MalformedDigestException(text);
        }
        return new BlobDigest(Digests.hex(digest));
    }

    /** The digest of a finished sha256 computation. */
    static BlobDigest of(byte[] sha256) {
        return new BlobDigest(Digests.hex(Digests.format(sha256)));
    }

    /** The textual form {@code sha256:<hex>}, as used in JSON, URIs and ETags. */
    @Override
    public String toString() {
        return Digests.PREFIX + hex;
    }
}
