package dev.cwom.testing;

import dev.cwom.auth.ApiTokens;
import dev.cwom.auth.Scopes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * API tokens for tests, made anew per test JVM: one with every scope (what test clients send by default), one per
 * single scope and one with none, so that scope tests can try each endpoint with the wrong one.
 */
public final class TestTokens {

    /** Every scope; principal {@code test-all}. */
    public static final String ALL = ApiTokens.generate();
    /** No scope at all; principal {@code test-none}. */
    public static final String NONE = ApiTokens.generate();

    private static final Map<String, String> BY_SCOPE = new LinkedHashMap<>();
    private static final Map<String, String> BY_PRINCIPAL = new java.util.concurrent.ConcurrentHashMap<>();

    static {
        Scopes.ALL.forEach(scope -> BY_SCOPE.put(scope, ApiTokens.generate()));
    }

    private TestTokens() {
    }

    /** A token with only {@code scope}; its principal is {@code test-<scope>}. */
    public static String withScope(String scope) {
        String token = BY_SCOPE.get(scope);
        if (token == null) {
            throw new IllegalArgumentException("No test token for scope '" + scope + "'; scopes: " + Scopes.ALL);
        }
        return token;
    }

    /** The token of a principal named in {@link #register(DynamicPropertyRegistry, String...)}. */
    public static String forPrincipal(String principal) {
        String token = BY_PRINCIPAL.get(principal);
        if (token == null) {
            throw new IllegalArgumentException("No test token for principal '" + principal + "'; name it in"
                    + " TestTokens.register(registry, ...)");
        }
        return token;
    }

    /**
     * Configures the tokens as {@code cwom.security.api-tokens} (hashes only, as in production), plus one token
     * with every scope for each of {@code principals}, for tests that tell callers apart (quotas, who asked).
     */
    public static void register(DynamicPropertyRegistry registry, String... principals) {
        int index = 0;
        for (String principal : principals) {
            String token = BY_PRINCIPAL.computeIfAbsent(principal, name -> ApiTokens.generate());
            index = add(registry, index, principal, token, Scopes.ALL);
        }
        index = add(registry, index, "test-all", ALL, Scopes.ALL);
        index = add(registry, index, "test-none", NONE, List.of());
        for (Map.Entry<String, String> entry : BY_SCOPE.entrySet()) {
            index = add(registry, index, "test-" + entry.getKey(), entry.getValue(), List.of(entry.getKey()));
        }
    }

    private static int add(DynamicPropertyRegistry registry, int index, String name, String token,
            List<String> scopes) {
        String prefix = "cwom.security.api-tokens[" + index + "].";
        registry.add(prefix + "name", () -> name);
        registry.add(prefix + "sha256", () -> ApiTokens.sha256Hex(token));
        registry.add(prefix + "scopes", () -> String.join(",", scopes));
        return index + 1;
    }
}
