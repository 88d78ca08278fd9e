package dev.cwom.service.security;

import dev.cwom.auth.Scopes;
import java.util.List;

/**
 * The scope rules of one service, in order; the first matching rule decides. Health probes are always open; a
 * request no rule matches needs {@link Scopes#ADMIN}, so a new endpoint is closed until a rule opens it.
 *
 * @param rules the rules, first match wins
 */
public record AccessRules(List<ScopeRule> rules) {

    public AccessRules {
        rules = List.copyOf(rules);
    }

    public static AccessRules of(ScopeRule... rules) {
        return new AccessRules(List.of(rules));
    }
}
