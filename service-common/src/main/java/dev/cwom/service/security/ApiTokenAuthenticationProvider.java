package dev.cwom.service.security;

import dev.cwom.auth.ApiTokens;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Authenticates a bearer token that is one of the configured API tokens. A token that is not one but has the shape
 * of a JWT is left to the JWT provider when JWTs are configured; anything else is an invalid token.
 */
final class ApiTokenAuthenticationProvider implements AuthenticationProvider {

    private final ApiTokens tokens;
    private final boolean jwtsAccepted;

    ApiTokenAuthenticationProvider(ApiTokens tokens, boolean jwtsAccepted) {
        this.tokens = tokens;
        this.jwtsAccepted = jwtsAccepted;
    }

    @Override
    public @Nullable Authentication authenticate(Authentication authentication) {
        String presented = ((BearerTokenAuthenticationToken) authentication).getToken();
        var token = tokens.find(presented);
        if (token.isPresent()) {
            return new ApiTokenAuthentication(token.get());
        }
        if (jwtsAccepted && looksLikeJwt(presented)) {
            return null;
        }
        throw new InvalidBearerTokenException("The bearer token is not a known API token"
                + (jwtsAccepted ? " nor a JWT" : " (this service accepts no JWTs: no issuer is configured)"));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return BearerTokenAuthenticationToken.class.isAssignableFrom(authentication);
    }

    private static boolean looksLikeJwt(String token) {
        return token.chars().filter(c -> c == '.').count() == 2;
    }
}
