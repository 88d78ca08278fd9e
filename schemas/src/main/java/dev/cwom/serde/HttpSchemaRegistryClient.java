package dev.cwom.serde;

import dev.cwom.json.CwomJson;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.InterruptException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Confluent Schema Registry REST protocol over {@link HttpClient}: tries the configured URLs in order and answers
 * {@link RegistryUnavailableException} only when none could be reached (connection refused, timeout, 5xx). No
 * caching here: {@link CachingSchemaRegistryClient} wraps it.
 */
final class HttpSchemaRegistryClient implements SchemaRegistryClient {

    static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";

    private final List<Target> targets;
    private final HttpClient http;
    private final Duration requestTimeout;

    private record Target(String baseUrl, @Nullable String authorization) {
    }

    HttpSchemaRegistryClient(AvroSerdeConfig config) {
        List<Target> list = new ArrayList<>();
        for (String url : config.registryUrls()) {
            String userInfo = config.credentialsSource() == AvroSerdeConfig.CredentialsSource.USER_INFO
                    ? config.basicAuthUserInfo()
                    : URI.create(url).getRawUserInfo();
            String base = AvroSerdeConfig.withoutUserInfo(url).replaceAll("/+$", "");
            String basic = userInfo == null ? null : "Basic " + Base64.getEncoder()
                    .encodeToString(java.net.URLDecoder.decode(userInfo, StandardCharsets.UTF_8)
                            .getBytes(StandardCharsets.UTF_8));
            list.add(new Target(base, config.bearerToken() != null ? "Bearer " + config.bearerToken() : basic));
        }
        this.targets = List.copyOf(list);
        this.requestTimeout = config.requestTimeout();
        // HTTP/1.1: registries speak it, and the h2c upgrade attempt only adds a round of negotiation
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout()).build();
    }

    @Override
    public int register(String subject, Schema schema) {
        return call("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema)).path("id").asInt();
    }

    @Override
    public int lookupId(String subject, Schema schema) {
        return call("POST", "/subjects/" + encode(subject), schemaBody(schema)).path("id").asInt();
    }

    @Override
    public Schema schemaById(int id) {
        JsonNode answer = call("GET", "/schemas/ids/" + id, null);
        String type = answer.path("schemaType").asString("AVRO");
        if (!"AVRO".equals(type)) {
            throw new SchemaRegistryException(200, 0, "Schema id " + id + " is a " + type
                    + " schema; this serde reads Avro only");
        }
        return new Schema.Parser().parse(answer.path("schema").asString());
    }

    @Override
    public SubjectVersion latest(String subject) {
        JsonNode answer = call("GET", "/subjects/" + encode(subject) + "/versions/latest", null);
        return new SubjectVersion(subject, answer.path("version").asInt(), answer.path("id").asInt(),
                new Schema.Parser().parse(answer.path("schema").asString()));
    }

    @Override
    public void close() {
        // the JDK client keeps a selector thread per instance until closed
        http.shutdownNow();
    }

    private static String schemaBody(Schema schema) {
        ObjectNode body = CwomJson.mapper().createObjectNode();
        body.put("schema", schema.toString());
        return body.toString();
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode call(String method, String path, @Nullable String body) {
        List<String> failures = new ArrayList<>();
        Exception last = null;
        for (Target target : targets) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.baseUrl() + path))
                    .timeout(requestTimeout)
                    .header("Accept", MEDIA_TYPE)
                    .method(method, body == null
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) {
                request.header("Content-Type", MEDIA_TYPE);
            }
            if (target.authorization() != null) {
                request.header("Authorization", target.authorization());
            }
            // a registry call made while a record is sent or read belongs to that record's trace (docs/operations.md)
            W3CTraceContextPropagator.getInstance().inject(Context.current(), request, HttpRequest.Builder::header);
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                failures.add(target.baseUrl() + ": " + e);
                last = e;
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException("Interrupted while calling the schema registry", e);
            }
            if (response.statusCode() >= 500) {
                failures.add(target.baseUrl() + ": HTTP " + response.statusCode() + " " + response.body());
                continue;
            }
            return answer(method, path, target, response);
        }
        throw new RegistryUnavailableException("Schema registry unreachable for " + method + " " + path + " ("
                + String.join("; ", failures) + "); retry later, and check " + AvroSerdeConfig.SCHEMA_REGISTRY_URL,
                last);
    }

    private static JsonNode answer(String method, String path, Target target, HttpResponse<String> response) {
        JsonNode json;
        try {
            json = CwomJson.mapper().readTree(response.body());
        } catch (JacksonException e) {
            json = null;
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300 && json != null) {
            return json;
        }
        int code = json != null && json.path("error_code").isInt() ? json.path("error_code").asInt() : status;
        String message = json != null && json.path("message").isString()
                ? json.path("message").asString()
                : "HTTP " + status + " with body '" + abbreviate(response.body()) + "'";
        throw new SchemaRegistryException(status, code, "Schema registry " + target.baseUrl() + " refused " + method
                + " " + path + ": " + message + " (error_code " + code + ")");
    }

    private static String abbreviate(String body) {
        return body.length() <= 200 ? body : body.substring(0, 200) + "...";
    }
}
