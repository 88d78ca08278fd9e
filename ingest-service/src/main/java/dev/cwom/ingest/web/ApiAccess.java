package dev.cwom.ingest.web;

import static dev.cwom.service.security.ScopeRule.of;
import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.HEAD;
import static org.springframework.http.HttpMethod.PATCH;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import dev.cwom.auth.Scopes;
import dev.cwom.service.security.AccessRules;
import dev.cwom.service.security.ScopeRule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Which scope each part of ingest's API needs (first match wins; anything else needs {@code cwom.admin}). Agents
 * report Runs and Artifacts with {@code cwom.report}; people and producers submit intent with {@code cwom.submit};
 * reading anything needs {@code cwom.read}; the operator's policy needs {@code cwom.admin}. The public keys that verify
 * attestations are open to everyone.
 */
@Configuration(proxyBeanMethods = false)
class ApiAccess {

    /** The operator's public attestation keys (docs/provenance.md). */
    static final String PROVENANCE_KEYS = "/cwom/.well-known/provenance-keys";

    @Bean
    AccessRules ingestAccessRules() {
        return AccessRules.of(
                ScopeRule.any("/cwom/admin/**", Scopes.ADMIN),
                of(POST, "/cwom/runs", Scopes.REPORT),
                of(PATCH, "/cwom/runs/*", Scopes.REPORT),
                of(POST, "/cwom/artifacts", Scopes.REPORT),
                of(GET, "/cwom/**", Scopes.READ),
                of(HEAD, "/cwom/**", Scopes.READ),
                of(POST, "/cwom/**", Scopes.SUBMIT),
                of(PATCH, "/cwom/**", Scopes.SUBMIT),
                of(PUT, "/cwom/**", Scopes.SUBMIT),
                of(DELETE, "/cwom/**", Scopes.SUBMIT),
                of(POST, "/tasks/enqueue", Scopes.SUBMIT),
                of(GET, "/tasks/**", Scopes.READ),
                of(GET, "/v3/api-docs/**", Scopes.READ),
                of(GET, "/v3/api-docs", Scopes.READ))
                // the keys that verify attestations are for anyone holding one, token or not
                .withOpenGets(PROVENANCE_KEYS);
    }
}
