package dev.cwom.service.security;

import dev.cwom.auth.Scopes;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/** Grants a request when the caller has the scope, and remembers the scope asked for, so a 403 can name it. */
final class ScopeAuthorization implements AuthorizationManager<RequestAuthorizationContext> {

    static final String REQUIRED_SCOPE = ScopeAuthorization.class.getName() + ".requiredScope";

    private final String scope;
    private final AuthorizationManager<RequestAuthorizationContext> delegate;

    ScopeAuthorization(String scope) {
        this.scope = scope;
        this.delegate = AuthorityAuthorizationManager.hasAuthority(Scopes.authority(scope));
    }

    @Override
    public @Nullable AuthorizationResult authorize(Supplier<? extends @Nullable Authentication> authentication,
            RequestAuthorizationContext context) {
        context.getRequest().setAttribute(REQUIRED_SCOPE, scope);
        return delegate.authorize(authentication, context);
    }
}
