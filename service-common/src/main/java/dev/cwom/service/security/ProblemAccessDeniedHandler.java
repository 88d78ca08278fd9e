package dev.cwom.service.security;

import dev.cwom.service.web.ProblemResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 403 as problem+json with code {@code INSUFFICIENT_SCOPE}, naming the scope the endpoint needs and the ones the
 * caller has, and RFC 6750's {@code WWW-Authenticate: Bearer error="insufficient_scope"}.
 */
final class ProblemAccessDeniedHandler implements AccessDeniedHandler {

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        Object required = request.getAttribute(ScopeAuthorization.REQUIRED_SCOPE);
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        List<String> granted = caller == null ? List.of() : caller.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority).filter(a -> a.startsWith("SCOPE_"))
                .map(a -> a.substring("SCOPE_".length())).sorted().toList();
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("required_scope", String.valueOf(required));
        properties.put("granted_scopes", granted);
        String who = caller == null ? "The caller" : "'" + caller.getName() + "'";
        response.setHeader("WWW-Authenticate", "Bearer error=\"insufficient_scope\", error_description=\"The request"
                + " needs a scope the token does not have\"" + (required == null ? "" : ", scope=\"" + required + "\""));
        ProblemResponses.write(request, response, HttpStatus.FORBIDDEN, "INSUFFICIENT_SCOPE",
                who + " may not " + request.getMethod() + " " + request.getRequestURI() + ": it needs scope '"
                        + required + "' and has " + granted + "; use a token with that scope",
                properties);
    }
}
