package dev.cwom.service.web;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Bounds on what a client may send to an HTTP service (prefix {@code cwom.http}); defaults here and nowhere else.
 *
 * @param maxBodySize              the largest request body; a larger one is refused with 413 {@code BODY_TOO_LARGE}
 *                                 before the application reads it
 * @param bodyLimitExcludedPaths   path patterns (Spring {@code PathPattern} syntax, e.g. {@code /blobs/**}) whose
 *                                 bodies are streamed by the service under a limit of its own, so this one does not
 *                                 apply
 * @param json                     limits of the JSON parser that reads request bodies
 */
@ConfigurationProperties("cwom.http")
public record HttpLimitsProperties(
        @DefaultValue("1MB") DataSize maxBodySize,
        @DefaultValue List<String> bodyLimitExcludedPaths,
        @DefaultValue Json json) {

    public HttpLimitsProperties {
        bodyLimitExcludedPaths = List.copyOf(bodyLimitExcludedPaths);
    }

    /**
     * Jackson's stream read constraints for request bodies; a document beyond one of them is a 400
     * {@code JSON_LIMIT_EXCEEDED} naming where it was found.
     *
     * @param maxNestingDepth   the deepest nesting of objects and arrays (CWOM objects need fewer than ten levels;
     *                          the rest is room for {@code meta})
     * @param maxStringLength   the longest string value, in characters
     * @param maxNumberLength   the longest number, in characters (a 64-bit integer needs 20)
     * @param maxNameLength     the longest member name, in characters
     * @param maxDocumentLength the longest document, in bytes; the body limit usually binds first
     */
    public record Json(
            @DefaultValue("64") int maxNestingDepth,
            @DefaultValue("262144") int maxStringLength,
            @DefaultValue("64") int maxNumberLength,
            @DefaultValue("1024") int maxNameLength,
            @DefaultValue("1MB") DataSize maxDocumentLength) {
    }
}
