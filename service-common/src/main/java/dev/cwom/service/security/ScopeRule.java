package dev.cwom.service.security;

import dev.cwom.auth.Scopes;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;

/**
 * One access rule of a service: requests with this method (any when null) whose path matches this pattern (Spring's
 * path patterns, e.g. {@code /cwom/runs/**}) need this scope. A service lists its rules in an {@link AccessRules}
 * bean; the first matching rule decides.
 *
 * @param method the HTTP method, or null for every method
 * @param pattern the path pattern
 * @param scope the scope needed, from {@link Scopes}
 */
public record ScopeRule(@Nullable HttpMethod method, String pattern, String scope) {

    public ScopeRule {
        if (!Scopes.ALL.contains(scope)) {
            throw new IllegalArgumentException("Unknown scope '" + scope + "' for " + pattern + "; use " + Scopes.ALL);
        }
    }

    public static ScopeRule any(String pattern, String scope) {
        return new ScopeRule(null, pattern, scope);
    }

    public static ScopeRule of(HttpMethod method, String pattern, String scope) {
        return new ScopeRule(method, pattern, scope);
    }
}
