package dev.cwom.auth;

import dev.cwom.json.Digests;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The configured API tokens. A presented token is hashed and compared with every configured hash in constant time,
 * so neither the token nor how much of it matched leaks through timing; only hashes are ever held.
 */
public final class ApiTokens {

    /** Generated tokens start with this, so that secret scanners and people recognise them. */
    public static final String PREFIX = "cwom_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<ApiToken> tokens;

    public ApiTokens(List<ApiToken> tokens) {
        Set<String> hashes = new HashSet<>();
        for (ApiToken token : tokens) {
            if (!hashes.add(token.sha256())) {
                throw new IllegalArgumentException("API token '" + token.name() + "' has the same sha256 as another"
                        + " token; give every principal a token of its own");
            }
        }
        this.tokens = List.copyOf(tokens);
    }

    /** The token that {@code presented} is, if any. */
    public Optional<ApiToken> find(String presented) {
        byte[] hash = sha256(presented);
        ApiToken found = null;
        for (ApiToken token : tokens) {
            // No early exit: every configured hash is compared, whatever matched.
            if (MessageDigest.isEqual(hash, token.hashBytes())) {
                found = token;
            }
        }
        return Optional.ofNullable(found);
    }

    public boolean isEmpty() {
        return tokens.isEmpty();
    }

    /** A new random token: {@value #PREFIX} and 256 random bits, base64url. */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The lower-case hex SHA-256 of the token's UTF-8 bytes: what configuration holds instead of the token. */
    public static String sha256Hex(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    private static byte[] sha256(String token) {
        return Digests.newSha256().digest(token.getBytes(StandardCharsets.UTF_8));
    }
}
