package dev.cwom.ingest.console;

import dev.cwom.service.security.AccessRules;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The console's static files ({@code classpath:/static/console/}, served by Boot's resource handler) are open to GET:
 * they hold no data, and a browser cannot present a bearer token before the page that asks for it has loaded. Every
 * data call the page makes goes to {@code /cwom/**} with the token in an {@code Authorization} header and is
 * authorized there like any other client's.
 *
 * <p>The pages load nothing from elsewhere and run no inline script, so their policy is {@code default-src 'self'};
 * {@code frame-ancestors 'none'} keeps them out of other sites' frames, and no referrer leaves with a link.
 * {@code X-Content-Type-Options: nosniff} comes with Spring Security's default headers, as on every answer.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleWebSecurity implements WebMvcConfigurer {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    @Bean
    AccessRules consoleAccessRules() {
        return AccessRules.of().withOpenGets("/console", "/console/**");
    }

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> consoleHeaders() {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(
                new OncePerRequestFilter() {
                    @Override
                    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                            FilterChain chain) throws ServletException, IOException {
                        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
                        response.setHeader("Referrer-Policy", "no-referrer");
                        chain.doFilter(request, response);
                    }
                });
        registration.addUrlPatterns("/console", "/console/*");
        return registration;
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/console", "/console/");
        registry.addViewController("/console/").setViewName("forward:/console/index.html");
    }
}
