package dev.cwom.service.security;

import dev.cwom.auth.Scopes;
import dev.cwom.auth.ApiToken;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** An authenticated API token: its principal name and its scopes as {@code SCOPE_*} authorities. */
final class ApiTokenAuthentication extends AbstractAuthenticationToken {

    private final String name;

    ApiTokenAuthentication(ApiToken token) {
        super(token.scopes().stream().sorted().map(scope -> new SimpleGrantedAuthority(Scopes.authority(scope)))
                .toList());
        this.name = token.name();
        setAuthenticated(true);
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Object getCredentials() {
        // The token is not kept once checked.
        return "";
    }

    @Override
    public Object getPrincipal() {
        return name;
    }
}
