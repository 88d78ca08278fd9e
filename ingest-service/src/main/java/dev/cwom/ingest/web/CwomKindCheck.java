package dev.cwom.ingest.web;

import dev.cwom.ingest.problems.ApiProblem;
import dev.cwom.model.CwomObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses a CWOM body whose {@code kind} names another kind (an Issue posted to /cwom/repos): the records fix their
 * kind, so without this check the wrong object would be read silently. Malformed bodies pass through untouched and
 * are reported by the JSON converter.
 */
@ControllerAdvice
class CwomKindCheck extends RequestBodyAdviceAdapter {

    /** Spring's mapper, with the service's read limits (cwom.http.json.*): the body is parsed here first. */
    private final JsonMapper json;

    CwomKindCheck(JsonMapper json) {
        this.json = json;
    }

    @Override
    public boolean supports(MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        return targetType instanceof Class<?> type && CwomObject.class.isAssignableFrom(type);
    }

    @Override
    public HttpInputMessage beforeBodyRead(HttpInputMessage input, MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) throws IOException {
        byte[] body = input.getBody().readAllBytes();
        String expected = ((Class<?>) targetType).getSimpleName();
        JsonNode kind = kindOf(body);
        if (kind != null && kind.isString() && !expected.equals(kind.asString())) {
            throw ApiProblem.invalid("$.kind", "is '" + kind.asString() + "' but this endpoint takes " + expected
                    + " objects; send it where " + kind.asString() + " objects go, or set kind to '" + expected + "'");
        }
        return new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return new ByteArrayInputStream(body);
            }

            @Override
            public HttpHeaders getHeaders() {
                return input.getHeaders();
            }
        };
    }

    private @org.jspecify.annotations.Nullable JsonNode kindOf(byte[] body) {
        try {
            JsonNode tree = json.readTree(body);
            return tree != null && tree.isObject() ? tree.get("kind") : null;
        } catch (JacksonException e) {
            return null;
        }
    }
}
