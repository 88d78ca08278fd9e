package dev.cwom.service.security;

import dev.cwom.auth.Scopes;
import java.util.List;

/**
 * The scope rules of one service, in order; the first matching rule decides. Health probes are always open; a
 * request no rule matches needs {@link Scopes#ADMIN}, so a new endpoint is closed until a rule opens it.
 *
 * @param rules the rules, first match wins
 * @param openGets path patterns anyone may GET without a token (what is published to the world, such as the public
 *     keys that verify attestations); checked before the rules
 */
public record AccessRules(List<ScopeRule> rules, List<String> openGets) {

    public AccessRules {
        rules = List.copyOf(rules);
        openGets = List.copyOf(openGets);
    }

    public AccessRules(List<ScopeRule> rules) {
        this(rules, List.of());
    }

    public static AccessRules of(ScopeRule... rules) {
        return new AccessRules(List.of(rules));
    }

    /** These rules, with {@code patterns} open to GET without a token. */
    public AccessRules withOpenGets(String... patterns) {
        return new AccessRules(rules, List.of(patterns));
    }
}
