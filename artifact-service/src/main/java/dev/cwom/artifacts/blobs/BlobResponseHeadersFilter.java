package dev.cwom.artifacts.blobs;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Sets the headers that keep a browser from running a blob as a page of this origin on every {@code /blobs}
 * response, the bodies and the problems alike, and (ordered before the security filters) the 401 and 403 answers:
 * {@code X-Content-Type-Options: nosniff} (the declared type is final, no guessing HTML from the bytes) and
 * {@code Content-Security-Policy: sandbox} (even a rendered document gets an opaque origin and runs no script).
 * {@link BlobController} adds the Content-Disposition, which depends on the blob ({@link BlobServingHeaders}).
 */
class BlobResponseHeadersFilter extends OncePerRequestFilter {

    static final String CONTENT_TYPE_OPTIONS = "X-Content-Type-Options";
    static final String CONTENT_SECURITY_POLICY = "Content-Security-Policy";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader(CONTENT_TYPE_OPTIONS, "nosniff");
        response.setHeader(CONTENT_SECURITY_POLICY, "sandbox");
        chain.doFilter(request, response);
    }
}
