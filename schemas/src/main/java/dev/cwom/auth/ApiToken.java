package dev.cwom.auth;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * One configured API token: who presents it and what it may do. The token itself is never kept, only its hash.
 *
 * @param name the principal name recorded for whatever this token does (e.g. {@code worker}, {@code demo-submit})
 * @param sha256 the lower-case hex SHA-256 of the token's UTF-8 bytes
 * @param scopes the scopes granted, e.g. {@code cwom.read}, {@code cwom.submit}
 */
public record ApiToken(String name, String sha256, Set<String> scopes) {

    public ApiToken {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("An API token needs a principal name; set name for every token");
        }
        if (sha256 == null || !sha256.matches("(?i)[0-9a-f]{64}")) {
            // The value is not repeated: it may be a token pasted where its hash belongs.
            throw new IllegalArgumentException("API token '" + name + "' has a sha256 that is not 64 hex digits;"
                    + " configure the SHA-256 of the token (e.g. printf %s \"$TOKEN\" | sha256sum), never the"
                    + " token itself");
        }
        sha256 = sha256.toLowerCase(Locale.ROOT);
        scopes = Set.copyOf(scopes == null ? Set.of() : scopes);
    }

    /** The hash bytes, for constant-time comparison. */
    byte[] hashBytes() {
        return HexFormat.of().parseHex(sha256);
    }
}
