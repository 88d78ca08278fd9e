package dev.cwom.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.cwom.auth.ApiToken;
import dev.cwom.auth.ApiTokens;
import dev.cwom.auth.Scopes;
import dev.cwom.json.CwomJson;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Confluent Schema Registry REST protocol (the part clients use: subjects, versions, ids, lookups, soft and
 * permanent deletes, {@code deleted=true} listings, compatibility, config and mode) over a {@link SchemaRegistry}.
 * Answers {@code application/vnd.schemaregistry.v1+json}; accepts that or plain JSON. Errors are Confluent's
 * {@code {"error_code", "message"}} bodies; only a store failure is a 5xx.
 */
final class RegistryHttpHandler implements HttpHandler {

    static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpHandler.class);

    private final SchemaRegistry registry;
    private final @Nullable ApiTokens writers;

    /** @param writers who may change the registry; null leaves writes open */
    RegistryHttpHandler(SchemaRegistry registry, @Nullable ApiTokens writers) {
        this.registry = registry;
        this.writers = writers;
    }

    /** A client mistake outside Confluent's numbered errors (unknown path, wrong method, bad JSON). */
    private static final class HttpError extends RuntimeException {
        final int status;
        final int errorCode;

        HttpError(int status, String message) {
            this(status, message, status);
        }

        /** With one of Confluent's numbered codes, e.g. 40101 for missing credentials. */
        HttpError(int status, String message, int errorCode) {
            super(message);
            this.status = status;
            this.errorCode = errorCode;
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            List<String> path = segments(exchange.getRequestURI().getRawPath());
            String query = exchange.getRequestURI().getRawQuery();
            try {
                if (!method.equals("GET") && !method.equals("HEAD")) {
                    authorizeWrite(exchange, requiredScope(method, path));
                }
                JsonNode answer = route(method, path, query == null ? "" : query, exchange);
                send(exchange, 200, answer.toString());
            } catch (RegistryError e) {
                if (e.httpStatus() >= 500) {
                    LOG.error("{} {} failed: {}", method, exchange.getRequestURI().getRawPath(), e.getMessage(), e);
                }
                send(exchange, e.httpStatus(), error(e.errorCode(), e.getMessage()));
            } catch (HttpError e) {
                send(exchange, e.status, error(e.errorCode, e.getMessage()));
            } catch (RuntimeException e) {
                LOG.error("{} {} failed", method, exchange.getRequestURI().getRawPath(), e);
                send(exchange, 500, error(50001, "Internal error: " + e));
            }
        }
    }

    /**
     * What a change needs: {@code schemas.write} to register and set compatibility (every producing service has
     * it); {@code cwom.admin} to delete or change a mode, since either can stop every running producer and
     * consumer, and a service's or worker's token must not be able to.
     */
    private static String requiredScope(String method, List<String> path) {
        boolean destructive = method.equals("DELETE") || (!path.isEmpty() && path.getFirst().equals("mode"));
        return destructive ? Scopes.ADMIN : Scopes.SCHEMAS_WRITE;
    }

    /**
     * Reads stay open (every consumer needs the writer's schema); a change needs a token with {@code scope}, as
     * Confluent's clients send credentials: basic auth with the token as the password
     * ({@code basic.auth.user.info=<name>:<token>}), or {@code Authorization: Bearer <token>}.
     */
    private void authorizeWrite(HttpExchange exchange, String scope) {
        if (writers == null) {
            return;
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String token = presentedToken(header);
        if (token == null) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"schema-registry\"");
            exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"schema-registry\"");
            throw new HttpError(401, "Changing the schema registry needs credentials: configure the client with"
                    + " basic.auth.credentials.source=USER_INFO and basic.auth.user.info=<name>:<api token>, or"
                    + " bearer.auth.credentials.source=STATIC_TOKEN and bearer.auth.token=<api token>", 40101);
        }
        ApiToken found = writers.find(token).orElseThrow(() -> new HttpError(401,
                "The credentials are not a known API token; check the client's basic.auth.user.info or"
                        + " bearer.auth.token", 40101));
        if (!found.scopes().contains(scope)) {
            throw new HttpError(403, "'" + found.name() + "' may not do this in the schema registry: it needs scope "
                    + scope + " and has " + found.scopes(), 40301);
        }
    }

    private static @Nullable String presentedToken(@Nullable String header) {
        if (header == null) {
            return null;
        }
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return header.substring(7).strip();
        }
        if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String userInfo = new String(Base64.getDecoder().decode(header.substring(6).strip()),
                        StandardCharsets.UTF_8);
                int colon = userInfo.indexOf(':');
                return colon < 0 ? null : userInfo.substring(colon + 1);
            } catch (IllegalArgumentException notBase64) {
                return null;
            }
        }
        return null;
    }

    private JsonNode route(String method, List<String> p, String query, HttpExchange exchange) throws IOException {
        int n = p.size();
        if (n == 0) {
            return allow(method, "GET", json());
        }
        boolean deleted = flag(query, "deleted");
        switch (p.getFirst()) {
            case "subjects" -> {
                if (n == 1) {
                    allow(method, "GET", null);
                    return array(registry.subjects(deleted));
                }
                String subject = p.get(1);
                if (n == 2 && method.equals("DELETE")) {
                    return array(registry.deleteSubject(subject, flag(query, "permanent")));
                }
                if (n == 2) {
                    allow(method, "POST", null);
                    return describe(registry.lookup(subject, schemaOf(body(exchange)), deleted));
                }
                if (p.get(2).equals("versions")) {
                    if (n == 3 && method.equals("POST")) {
                        JsonNode body = body(exchange);
                        return json().put("id", registry.register(subject, schemaOf(body), optionalInt(body, "id"),
                                optionalInt(body, "version")).id());
                    }
                    if (n == 3) {
                        allow(method, "GET", null);
                        return array(registry.versions(subject, deleted));
                    }
                    if (n == 4 && method.equals("DELETE")) {
                        return CwomJson.mapper().getNodeFactory().numberNode(
                                registry.deleteVersion(subject, p.get(3), flag(query, "permanent")));
                    }
                    if (n == 4 || (n == 5 && p.get(4).equals("schema"))) {
                        allow(method, "GET", null);
                        RegisteredVersion version = registry.version(subject, p.get(3), deleted);
                        return n == 4 ? describe(version) : CwomJson.mapper().readTree(version.text());
                    }
                }
            }
            case "schemas" -> {
                if (n >= 3 && n <= 4 && p.get(1).equals("ids")) {
                    allow(method, "GET", null);
                    int id = schemaId(p.get(2));
                    if (n == 3) {
                        return json().put("schema", registry.schemaById(id).text());
                    }
                    switch (p.get(3)) {
                        case "schema" -> {
                            return CwomJson.mapper().readTree(registry.schemaById(id).text());
                        }
                        case "versions" -> {
                            ArrayNode usages = CwomJson.mapper().createArrayNode();
                            registry.usages(id, deleted).forEach(v -> usages.addObject()
                                    .put("subject", v.subject()).put("version", v.version()));
                            return usages;
                        }
                        case "subjects" -> {
                            return array(registry.usages(id, deleted).stream().map(RegisteredVersion::subject)
                                    .distinct().toList());
                        }
                        default -> {
                            // falls through to the 404 below
                        }
                    }
                }
            }
            case "compatibility" -> {
                if (n == 5 && p.get(1).equals("subjects") && p.get(3).equals("versions")) {
                    allow(method, "POST", null);
                    List<String> problems = registry.checkCompatibility(p.get(2), p.get(4), schemaOf(body(exchange)));
                    ObjectNode answer = json().put("is_compatible", problems.isEmpty());
                    if (flag(query, "verbose")) {
                        ArrayNode messages = answer.putArray("messages");
                        problems.forEach(messages::add);
                    }
                    return answer;
                }
            }
            case "config" -> {
                if (n <= 2) {
                    return config(method, n == 2 ? p.get(1) : null, query, exchange);
                }
            }
            case "mode" -> {
                if (n <= 2) {
                    return mode(method, n == 2 ? p.get(1) : null, query, exchange);
                }
            }
            default -> {
                // falls through to the 404 below
            }
        }
        throw new HttpError(404, "HTTP 404 Not Found: no endpoint " + method + " /" + String.join("/", p));
    }

    /** GET and PUT {@code /config} and {@code /config/{subject}}. */
    private JsonNode config(String method, @Nullable String subject, String query, HttpExchange exchange)
            throws IOException {
        if (method.equals("PUT")) {
            JsonNode body = body(exchange);
            JsonNode level = body.has("compatibility") ? body.get("compatibility") : body.path("compatibilityLevel");
            if (!level.isString()) {
                throw new RegistryError(422, 42203, "Missing 'compatibility' in the body, e.g."
                        + " {\"compatibility\": \"BACKWARD\"}");
            }
            CompatibilityLevel parsed = CompatibilityLevel.parse(level.asString());
            registry.setCompatibility(subject, parsed);
            return json().put("compatibility", parsed.name());
        }
        allow(method, "GET", null);
        CompatibilityLevel level = subject == null ? registry.globalCompatibility()
                : registry.subjectCompatibility(subject).orElseGet(() -> {
                    if (flag(query, "defaultToGlobal")) {
                        return registry.globalCompatibility();
                    }
                    throw RegistryError.subjectLevelConfigNotSet(subject);
                });
        return json().put("compatibilityLevel", level.name());
    }

    /** GET and PUT {@code /mode} and {@code /mode/{subject}}; DELETE {@code /mode/{subject}}. */
    private JsonNode mode(String method, @Nullable String subject, String query, HttpExchange exchange)
            throws IOException {
        if (method.equals("PUT")) {
            JsonNode mode = body(exchange).path("mode");
            if (!mode.isString()) {
                throw RegistryError.invalidMode("(missing: send {\"mode\": \"READONLY\"})");
            }
            RegistryMode parsed = RegistryMode.parse(mode.asString());
            registry.setMode(subject, parsed, flag(query, "force"));
            return json().put("mode", parsed.name());
        }
        if (method.equals("DELETE") && subject != null) {
            return json().put("mode", registry.clearMode(subject).name());
        }
        allow(method, "GET", null);
        RegistryMode mode = subject == null ? registry.globalMode()
                : registry.subjectMode(subject).orElseGet(() -> {
                    if (flag(query, "defaultToGlobal")) {
                        return registry.globalMode();
                    }
                    throw RegistryError.subjectLevelModeNotSet(subject);
                });
        return json().put("mode", mode.name());
    }

    /** Whether the query string has {@code name=true} (Confluent's boolean query parameters). */
    private static boolean flag(String query, String name) {
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                return pair.substring(eq + 1).equalsIgnoreCase("true");
            }
        }
        return false;
    }

    /** An optional integer field of a request body (an import's "id" and "version"); 42201 when not a number. */
    private static @Nullable Integer optionalInt(JsonNode body, String field) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isInt()) {
            throw RegistryError.invalidSchema("\"" + field + "\" must be a whole number");
        }
        return value.asInt();
    }

    private static ArrayNode array(List<?> items) {
        ArrayNode array = CwomJson.mapper().createArrayNode();
        items.forEach(item -> {
            if (item instanceof Integer number) {
                array.add(number);
            } else {
                array.add(item.toString());
            }
        });
        return array;
    }

    private static <T> T allow(String method, String allowed, T answer) {
        if (!method.equals(allowed)) {
            throw new HttpError(405, "HTTP 405 Method Not Allowed: use " + allowed);
        }
        return answer;
    }

    private static ObjectNode describe(RegisteredVersion version) {
        return json().put("subject", version.subject()).put("version", version.version())
                .put("id", version.id()).put("schema", version.text());
    }

    private static int schemaId(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new HttpError(404, "HTTP 404 Not Found: schema id '" + text + "' is not a number");
        }
    }

    /** The "schema" of a register, lookup or compatibility body; only Avro without references is kept here. */
    private static String schemaOf(JsonNode body) {
        String type = body.path("schemaType").asString("AVRO");
        if (!type.equalsIgnoreCase("AVRO")) {
            throw RegistryError.invalidSchema("schemaType " + type + " is not supported; this registry holds AVRO");
        }
        if (body.path("references").isArray() && !body.path("references").isEmpty()) {
            throw RegistryError.invalidSchema("schema references are not supported; inline the referenced types");
        }
        JsonNode schema = body.path("schema");
        if (!schema.isString() || schema.asString().isBlank()) {
            throw RegistryError.invalidSchema("the body needs \"schema\": the Avro schema as a JSON string");
        }
        return schema.asString();
    }

    private static JsonNode body(HttpExchange exchange) throws IOException {
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        try {
            JsonNode body = CwomJson.mapper().readTree(bytes);
            if (body == null || !body.isObject()) {
                throw new HttpError(400, "The request body must be a JSON object");
            }
            return body;
        } catch (JacksonException e) {
            throw new HttpError(400, "The request body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static List<String> segments(String rawPath) {
        return Arrays.stream(rawPath.split("/"))
                .filter(s -> !s.isEmpty())
                .map(s -> URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8))
                .toList();
    }

    private static ObjectNode json() {
        return CwomJson.mapper().createObjectNode();
    }

    private static String error(int code, String message) {
        return json().put("error_code", code).put("message", message).toString();
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", MEDIA_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
