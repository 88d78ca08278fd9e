package dev.cwom.json;

import dev.cwom.model.CwomObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Content digests, written {@code sha256:<64 lower-case hex>}: the one place that computes them. A CWOM object's digest
 * is the SHA-256 of its canonical JSON ({@link CanonicalJson}), so it does not depend on field order or whitespace.
 */
public final class Digests {

    /** The prefix of every CWOM digest. */
    public static final String PREFIX = "sha256:";

    private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final HexFormat HEX = HexFormat.of();

    private Digests() {
    }

    /** The digest of a CWOM object's canonical JSON. */
    public static String sha256(CwomObject object) {
        return sha256(CanonicalJson.writeBytes(object));
    }

    /** The digest of some bytes. */
    public static String sha256(byte[] bytes) {
        return format(newSha256().digest(bytes));
    }

    /** The digest of everything left in a stream; the stream is read to its end but not closed. */
    public static String sha256(InputStream in) {
        MessageDigest sha = newSha256();
        byte[] buffer = new byte[64 * 1024];
        try {
            for (int n; (n = in.read(buffer)) != -1; ) {
                sha.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the stream to digest failed: " + e.getMessage(), e);
        }
        return format(sha.digest());
    }

    /** A fresh SHA-256 for callers that hash while they stream (e.g. through a DigestInputStream). */
    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no SHA-256, which every Java platform must provide", e);
        }
    }

    /** Writes a raw 32-byte SHA-256 result in CWOM form. */
    public static String format(byte[] sha256) {
        if (sha256.length != 32) {
            throw new IllegalArgumentException("A SHA-256 digest has 32 bytes, not " + sha256.length);
        }
        return PREFIX + HEX.formatHex(sha256);
    }

    /** The 64 hex digits of a CWOM digest, e.g. for content-addressed file names. */
    public static String hex(String digest) {
        requireDigest(digest);
        return digest.substring(PREFIX.length());
    }

    /** Whether {@code value} is a CWOM digest ({@code sha256:} + 64 lower-case hex digits). */
    public static boolean isSha256(String value) {
        return SHA256.matcher(value).matches();
    }

    private static void requireDigest(String value) {
        if (!isSha256(value)) {
            throw new IllegalArgumentException("'" + value + "' is not a digest; expected 'sha256:' followed by "
                    + "64 lower-case hex digits");
        }
    }
}
