package dev.cwom.service.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Refuses a request body larger than {@code cwom.http.max-body-size} with 413 {@code BODY_TOO_LARGE}, before the
 * application reads any of it: by its {@code Content-Length} up front (Tomcat never delivers more than that), and a
 * chunked body, which declares no length, by reading it here up to the limit. Counting while the application reads
 * would not do: whatever reads (a JSON converter, a controller) turns the failure into its own 400 and may already
 * have answered. Holding the body costs no more than the application would: the services read JSON bodies whole
 * anyway. Paths that stream their bodies under a limit of their own are excluded by configuration.
 */
final class BodyLimitFilter extends OncePerRequestFilter {

    static final String CODE = "BODY_TOO_LARGE";

    private final long maxBytes;
    private final List<PathPattern> excluded;

    BodyLimitFilter(HttpLimitsProperties properties) {
        this.maxBytes = properties.maxBodySize().toBytes();
        PathPatternParser parser = PathPatternParser.defaultInstance;
        this.excluded = properties.bodyLimitExcludedPaths().stream().map(parser::parse).toList();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        PathContainer path = PathContainer.parsePath(request.getRequestURI().substring(
                request.getContextPath().length()));
        return excluded.stream().anyMatch(pattern -> pattern.matches(path));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            refuse(request, response, declared + " bytes (Content-Length)");
            return;
        }
        if (declared >= 0 || request.getHeader("Transfer-Encoding") == null) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (body.length > maxBytes) {
            refuse(request, response, "more than " + maxBytes + " bytes (chunked)");
            return;
        }
        chain.doFilter(new ReadBody(request, body), response);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, String size) throws IOException {
        // Tomcat then reads and discards what the client still sends (up to its maxSwallowSize) or closes.
        ProblemResponses.write(request, response, HttpStatus.CONTENT_TOO_LARGE, CODE, "The request body is " + size
                + ", more than this service takes (" + maxBytes + " bytes, cwom.http.max-body-size); send a smaller"
                + " body, or split the request", Map.of("max_bytes", maxBytes));
    }

    /** The request with its body already read: the application reads the held bytes. */
    private static final class ReadBody extends HttpServletRequestWrapper {

        private final byte[] body;

        ReadBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() throws IOException {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("The body was read already; read it blocking");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
