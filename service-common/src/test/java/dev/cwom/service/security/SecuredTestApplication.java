package dev.cwom.service.security;

import dev.cwom.auth.Scopes;
import java.security.Principal;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** A service with two scope rules and endpoints that answer with the caller's name. */
@SpringBootApplication
class SecuredTestApplication {

    @Bean
    AccessRules accessRules() {
        return AccessRules.of(
                ScopeRule.of(HttpMethod.GET, "/things/**", Scopes.READ),
                ScopeRule.of(HttpMethod.POST, "/things", Scopes.SUBMIT));
    }

    @RestController
    static class Things {

        @GetMapping("/things/{id}")
        String get(@PathVariable String id, Principal principal) {
            return principal.getName() + " read " + id;
        }

        @PostMapping("/things")
        String create(Principal principal) {
            return principal.getName() + " created";
        }

        @GetMapping("/unlisted")
        String unlisted() {
            return "admin only";
        }
    }
}
