package dev.cwom.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cwom.auth.ApiToken;
import dev.cwom.auth.ApiTokens;
import dev.cwom.auth.Scopes;
import dev.cwom.events.Topics;
import dev.cwom.registry.SchemaRegistryServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The registry's write endpoints need a token with {@code schemas.write}, sent as Confluent's clients send
 * credentials (basic auth with the token as password, or a bearer token); reads stay open. Our serde sends both
 * kinds, configured with Confluent's property names.
 */
class SecuredRegistryTests {

    private static final String WRITER = ApiTokens.generate();
    private static final String READER = ApiTokens.generate();
    private static final String ADMIN = ApiTokens.generate();
    private static final String SCHEMA = "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"P\\\","
            + "\\\"fields\\\":[{\\\"name\\\":\\\"a\\\",\\\"type\\\":\\\"int\\\"}]}\"}";

    private final HttpClient http = HttpClient.newHttpClient();
    private SchemaRegistryServer server;

    @BeforeEach
    void start() {
        server = new SchemaRegistryServer(SchemaRegistryServer.Settings.defaults().withWriters(new ApiTokens(List.of(
                new ApiToken("ingest-service", ApiTokens.sha256Hex(WRITER), Set.of(Scopes.SCHEMAS_WRITE)),
                new ApiToken("reader", ApiTokens.sha256Hex(READER), Set.of(Scopes.READ)),
                new ApiToken("operator", ApiTokens.sha256Hex(ADMIN), Set.of(Scopes.ADMIN))))));
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void refusesAnonymousWritesWithBothChallenges() throws Exception {
        HttpResponse<String> response = post("/subjects/p-value/versions", null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().allValues("WWW-Authenticate")).anyMatch(v -> v.startsWith("Basic"))
                .anyMatch(v -> v.startsWith("Bearer"));
        assertThat(response.body()).contains("\"error_code\":40101").contains("basic.auth.user.info");
        assertThat(get("/subjects").body()).isEqualTo("[]");
    }

    @Test
    void refusesAnUnknownTokenAndOneWithoutTheScope() throws Exception {
        assertThat(post("/subjects/p-value/versions", "Bearer " + ApiTokens.generate()).statusCode())
                .isEqualTo(401);
        HttpResponse<String> reader = post("/subjects/p-value/versions", basic("reader", READER));

        assertThat(reader.statusCode()).isEqualTo(403);
        assertThat(reader.body()).contains("\"error_code\":40301").contains(Scopes.SCHEMAS_WRITE);
    }

    @Test
    void deletesAndModeChangesNeedTheAdminScopeNotTheWritersOne() throws Exception {
        assertThat(post("/subjects/p-value/versions", "Bearer " + WRITER).statusCode()).isEqualTo(200);

        HttpResponse<String> writerDeletes = send("DELETE", "/subjects/p-value", null, "Bearer " + WRITER);
        HttpResponse<String> writerFreezes = send("PUT", "/mode", "{\"mode\":\"READONLY\"}", "Bearer " + WRITER);

        assertThat(writerDeletes.statusCode()).isEqualTo(403);
        assertThat(writerDeletes.body()).contains("\"error_code\":40301").contains(Scopes.ADMIN);
        assertThat(writerFreezes.statusCode()).isEqualTo(403);
        assertThat(get("/subjects").body()).contains("p-value");
        assertThat(send("DELETE", "/subjects/p-value", null, basic("operator", ADMIN)).body()).isEqualTo("[1]");
        assertThat(send("PUT", "/mode", "{\"mode\":\"READONLY\"}", "Bearer " + ADMIN).statusCode())
                .isEqualTo(200);
    }

    @Test
    void acceptsTheWriterByBasicAuthOrBearerAndLeavesReadsOpen() throws Exception {
        HttpResponse<String> basic = post("/subjects/p-value/versions", basic("ingest-service", WRITER));
        HttpResponse<String> bearer = post("/subjects/q-value/versions", "Bearer " + WRITER);

        assertThat(basic.statusCode()).as(basic.body()).isEqualTo(200);
        assertThat(bearer.statusCode()).as(bearer.body()).isEqualTo(200);
        assertThat(get("/subjects").body()).contains("p-value").contains("q-value");
    }

    @Test
    void theSerdeRegistersWithConfluentsBasicAuthProperties() {
        Map<String, Object> config = new HashMap<>(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, server.url(),
                AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                AvroSerdeConfig.BASIC_AUTH_USER_INFO, "ingest-service:" + WRITER));

        assertThat(serializer(config).serialize(Topics.RUNS, SampleEvents.runFinished())).isNotEmpty();
    }

    @Test
    void theSerdeRegistersWithConfluentsBearerProperties() {
        Map<String, Object> config = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, server.url(),
                AvroSerdeConfig.BEARER_AUTH_CREDENTIALS_SOURCE, "STATIC_TOKEN",
                AvroSerdeConfig.BEARER_AUTH_TOKEN, WRITER);

        assertThat(serializer(config).serialize(Topics.RUNS, SampleEvents.runFinished())).isNotEmpty();
    }

    @Test
    void theSerdeWithoutCredentialsCannotRegister() {
        Map<String, Object> config = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, server.url());

        assertThatThrownBy(() -> serializer(config).serialize(Topics.RUNS, SampleEvents.runFinished()))
                .isInstanceOf(AvroSerdeException.class).hasMessageContaining("401");
    }

    @Test
    void theBearerTokenIsNeverPrinted() {
        AvroSerdeConfig config = AvroSerdeConfig.from(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, server.url(),
                AvroSerdeConfig.BEARER_AUTH_CREDENTIALS_SOURCE, "STATIC_TOKEN",
                AvroSerdeConfig.BEARER_AUTH_TOKEN, WRITER));

        assertThat(config.toString()).doesNotContain(WRITER).contains("bearerToken=(hidden)");
    }

    private static KafkaAvroSerializer serializer(Map<String, Object> config) {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(config, false);
        return serializer;
    }

    private static String basic(String user, String token) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> post(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(SCHEMA));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String path, String body, String authorization)
            throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .header("Authorization", authorization)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
