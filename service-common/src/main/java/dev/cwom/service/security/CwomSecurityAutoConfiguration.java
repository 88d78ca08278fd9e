package dev.cwom.service.security;

import dev.cwom.auth.Scopes;
import jakarta.servlet.DispatcherType;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * Every service's HTTP security, in one place: stateless bearer authentication (API tokens from
 * {@code cwom.security.api-tokens}, and JWTs when Boot's {@code spring.security.oauth2.resourceserver.jwt.*}
 * configures a decoder), the service's {@link AccessRules}, open health probes, and problem+json for 401, 403 and
 * requests the firewall refuses. No sessions, no cookies, hence no CSRF tokens: a browser cannot send a bearer token
 * by itself.
 */
// Before Boot's default chains, which step back when a SecurityFilterChain exists.
@AutoConfiguration(
        afterName = "org.springframework.boot.security.oauth2.server.resource.autoconfigure"
                + ".OAuth2ResourceServerAutoConfiguration",
        beforeName = {
            "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
            "org.springframework.boot.security.oauth2.server.resource.autoconfigure.web"
                    + ".OAuth2ResourceServerWebSecurityAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(CwomSecurityProperties.class)
public class CwomSecurityAutoConfiguration {

    @Bean
    ApiTokenAuthenticationProvider apiTokenAuthenticationProvider(CwomSecurityProperties properties,
            ObjectProvider<JwtDecoder> jwtDecoder) {
        return new ApiTokenAuthenticationProvider(properties.tokens(), jwtDecoder.getIfAvailable() != null);
    }

    @Bean
    RequestRejectedHandler requestRejectedHandler() {
        return new ProblemRequestRejectedHandler();
    }

    @Bean
    SecurityFilterChain cwomSecurityFilterChain(HttpSecurity http, ObjectProvider<AccessRules> rules,
            ApiTokenAuthenticationProvider apiTokens, ObjectProvider<JwtDecoder> jwtDecoder,
            ObjectProvider<JwtAuthenticationConverter> jwtConverter) throws Exception {
        List<AuthenticationProvider> providers = new ArrayList<>();
        providers.add(apiTokens);
        jwtDecoder.ifAvailable(decoder -> {
            JwtAuthenticationProvider jwt = new JwtAuthenticationProvider(decoder);
            jwtConverter.ifAvailable(jwt::setJwtAuthenticationConverter);
            providers.add(jwt);
        });
        AuthenticationManager authentication = new ProviderManager(providers);
        ProblemAuthenticationEntryPoint entryPoint = new ProblemAuthenticationEntryPoint();
        ProblemAccessDeniedHandler accessDenied = new ProblemAccessDeniedHandler();
        http.csrf(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .oauth2ResourceServer(server -> server
                        .authenticationManagerResolver(request -> authentication)
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(accessDenied))
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(accessDenied))
                .authorizeHttpRequests(requests -> {
                    // Error and async dispatches were authorized on the request's own dispatch.
                    requests.dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC).permitAll();
                    requests.requestMatchers("/actuator/health", "/actuator/health/**").permitAll();
                    rules.orderedStream().flatMap(r -> r.openGets().stream()).forEach(pattern -> requests
                            .requestMatchers(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, pattern))
                            .permitAll());
                    rules.orderedStream().flatMap(r -> r.rules().stream()).forEach(rule -> requests
                            .requestMatchers(PathPatternRequestMatcher.withDefaults()
                                    .matcher(rule.method(), rule.pattern()))
                            .access(new ScopeAuthorization(rule.scope())));
                    requests.anyRequest().access(new ScopeAuthorization(Scopes.ADMIN));
                });
        return http.build();
    }
}
