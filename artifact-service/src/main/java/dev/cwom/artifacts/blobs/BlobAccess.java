package dev.cwom.artifacts.blobs;

import static dev.cwom.service.security.ScopeRule.of;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.HEAD;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import dev.cwom.auth.Scopes;
import dev.cwom.service.security.AccessRules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Uploading a blob (alone or in a batch) needs {@code blobs.write} (workers, agents); reading one needs {@code blobs.read}. */
@Configuration(proxyBeanMethods = false)
class BlobAccess {

    @Bean
    AccessRules blobAccessRules() {
        return AccessRules.of(
                of(PUT, "/blobs", Scopes.BLOBS_WRITE),
                of(POST, "/blobs/batch", Scopes.BLOBS_WRITE),
                of(GET, "/blobs/*", Scopes.BLOBS_READ),
                of(HEAD, "/blobs/*", Scopes.BLOBS_READ));
    }
}
