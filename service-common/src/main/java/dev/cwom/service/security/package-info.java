/**
 * Who may ask for what: every HTTP API is an OAuth2 resource server that takes JWTs from an OIDC issuer and hashed
 * API tokens for machines; access is decided by scopes ({@link dev.cwom.auth.Scopes}).
 */
@NullMarked
package dev.cwom.service.security;

import dev.cwom.auth.Scopes;
import org.jspecify.annotations.NullMarked;
