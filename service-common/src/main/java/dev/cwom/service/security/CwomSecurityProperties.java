package dev.cwom.service.security;

import dev.cwom.auth.Scopes;
import dev.cwom.auth.ApiToken;
import dev.cwom.auth.ApiTokens;
import java.util.LinkedHashSet;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Authentication settings of a service ({@code cwom.security.*}). JWTs are configured with Boot's own
 * {@code spring.security.oauth2.resourceserver.jwt.*} properties (issuer, JWK set or public key), not here.
 *
 * @param apiTokens the machines' tokens, each as a principal name, the SHA-256 of the token and its scopes; default
 *     none (then only JWTs are accepted, if configured)
 */
@ConfigurationProperties("cwom.security")
public record CwomSecurityProperties(@Nullable List<Token> apiTokens) {

    public CwomSecurityProperties {
        apiTokens = List.copyOf(apiTokens == null ? List.of() : apiTokens);
    }

    /**
     * One API token.
     *
     * @param name the principal name recorded for what the token does
     * @param sha256 the hex SHA-256 of the token (never the token)
     * @param scopes the scopes it grants, from {@link Scopes#ALL}
     */
    public record Token(String name, String sha256, @Nullable List<String> scopes) {
    }

    /** The tokens, checked: every scope must be one of {@link Scopes#ALL}. */
    ApiTokens tokens() {
        return new ApiTokens(apiTokens.stream().map(CwomSecurityProperties::token).toList());
    }

    private static ApiToken token(Token token) {
        List<String> scopes = token.scopes() == null ? List.of() : token.scopes();
        for (String scope : scopes) {
            if (!Scopes.ALL.contains(scope)) {
                throw new IllegalArgumentException("cwom.security.api-tokens: token '" + token.name()
                        + "' has unknown scope '" + scope + "'; use some of " + Scopes.ALL);
            }
        }
        return new ApiToken(token.name(), token.sha256(), new LinkedHashSet<>(scopes));
    }
}
