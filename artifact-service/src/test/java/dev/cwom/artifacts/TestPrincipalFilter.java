package dev.cwom.artifacts;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Test sources only: makes the name in {@value #HEADER} the request's {@link HttpServletRequest#getUserPrincipal()},
 * as the security filters will for an authenticated caller, so tests can upload as different principals.
 */
public class TestPrincipalFilter extends OncePerRequestFilter {

    /** The request header naming the principal. */
    public static final String HEADER = "X-Test-Principal";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String name = request.getHeader(HEADER);
        if (name == null) {
            chain.doFilter(request, response);
            return;
        }
        Principal principal = () -> name;
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public Principal getUserPrincipal() {
                return principal;
            }
        }, response);
    }
}
