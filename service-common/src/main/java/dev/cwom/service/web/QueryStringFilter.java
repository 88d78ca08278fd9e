package dev.cwom.service.web;

import dev.cwom.model.validation.Violation;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a query string that is not percent-encoded UTF-8 (a stray {@code %}, {@code %zz}, or bytes such as
 * {@code %ff} that are no UTF-8) with 400 {@code VALIDATION_FAILED}, naming each bad parameter as
 * {@code query.<name>}, the way a bad parameter value is reported by the APIs. Tomcat cannot decode such a parameter;
 * left to it, the first {@code getParameter} call fails deep inside the application, which answers 500.
 */
final class QueryStringFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        List<Violation> errors = query == null ? List.of() : violations(query);
        if (errors.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        ProblemResponses.write(request, response, HttpStatus.BAD_REQUEST, "VALIDATION_FAILED", "The query string has "
                + errors.size() + " parameter(s) that are not percent-encoded UTF-8 (" + errors.stream()
                .map(Violation::path).toList() + "); encode each name and value as UTF-8, then percent-encode it",
                Map.of("errors", errors));
    }

    /** One violation per parameter whose name or value does not decode. */
    static List<Violation> violations(String query) {
        List<Violation> errors = new ArrayList<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            String rawValue = eq < 0 ? "" : pair.substring(eq + 1);
            String name = decode(rawName);
            String shownName = name == null ? shown(rawName) : name;
            if (name == null) {
                errors.add(new Violation("query." + shownName, "the parameter's name '" + shown(rawName)
                        + "' is not percent-encoded UTF-8"));
            } else if (decode(rawValue) == null) {
                errors.add(new Violation("query." + shownName, "'" + shown(rawValue)
                        + "' is not percent-encoded UTF-8; check what the client encodes, e.g. pass the 'next' link"
                        + " of a page as it is"));
            }
        }
        return errors;
    }

    /** The text of a query component, or null when it is not percent-encoded UTF-8. */
    static @Nullable String decode(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                // Tomcat hands the raw query over as ISO-8859-1: a byte >= 0x80 sent unencoded
                bytes.write(c & 0xff);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** A raw component shown in a message: at most 64 characters, never control characters. */
    private static String shown(String raw) {
        String printable = raw.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return printable.length() <= 64 ? printable : printable.substring(0, 64) + "...";
    }
}
