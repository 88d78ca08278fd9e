package dev.cwom.service.security;

import dev.cwom.service.web.ProblemResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * A request the HTTP firewall refuses (encoded slashes, {@code ..} segments, control characters, non-printable
 * header values) answers 400 problem+json {@code REQUEST_REJECTED}, never a 500.
 */
final class ProblemRequestRejectedHandler implements RequestRejectedHandler {

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected)
            throws IOException {
        ProblemResponses.write(request, response, HttpStatus.BAD_REQUEST, "REQUEST_REJECTED",
                "The request was refused before it reached the API: " + rejected.getMessage()
                        + "; send a normalized path without encoded slashes, '..' segments or control characters",
                Map.of());
    }
}
