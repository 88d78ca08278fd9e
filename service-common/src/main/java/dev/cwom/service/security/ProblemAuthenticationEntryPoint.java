package dev.cwom.service.security;

import dev.cwom.service.web.ProblemResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * 401 as problem+json: {@code UNAUTHENTICATED} when no credentials came, {@code INVALID_TOKEN} when a bearer token
 * was refused. The {@code WWW-Authenticate} header is the one RFC 6750 asks for, set by Spring's bearer entry point.
 */
final class ProblemAuthenticationEntryPoint implements AuthenticationEntryPoint {

    private final BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        bearer.commence(request, response, failure);
        boolean tokenPresented = request.getHeader("Authorization") != null;
        String code = tokenPresented ? "INVALID_TOKEN" : "UNAUTHENTICATED";
        String detail = tokenPresented
                ? "The credentials were refused (" + failure.getMessage() + "); send a valid token as"
                        + " 'Authorization: Bearer <token>'"
                : "This endpoint needs credentials; send an API token or a JWT as 'Authorization: Bearer <token>'";
        ProblemResponses.write(request, response, HttpStatus.UNAUTHORIZED, code, detail, Map.of());
    }
}
