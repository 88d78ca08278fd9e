package dev.cwom.registry;

import static dev.cwom.registry.SchemaRegistryTests.V1;
import static dev.cwom.registry.SchemaRegistryTests.V2_COMPATIBLE;
import static dev.cwom.registry.SchemaRegistryTests.V2_INCOMPATIBLE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.json.CwomJson;
import dev.cwom.testing.SharedKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The REST protocol as Confluent's clients use it, against a registry storing in the shared real broker. */
class SchemaRegistryServerTests {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String topic = "_schemas-test-" + UUID.randomUUID();
    private SchemaRegistryServer server;

    @BeforeEach
    void start() {
        server = newServer();
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private SchemaRegistryServer newServer() {
        return new SchemaRegistryServer(SchemaRegistryServer.Settings.defaults()
                .withKafka(SharedKafka.bootstrapServers()).withTopic(topic));
    }

    @Test
    void registersLooksUpAndListsAsConfluentDoes() throws Exception {
        Reply registered = call("POST", "/subjects/probe-value/versions", schemaBody(V1));
        Reply again = call("POST", "/subjects/probe-value/versions", schemaBody(V1));
        Reply second = call("POST", "/subjects/probe-value/versions", schemaBody(V2_COMPATIBLE));

        assertThat(registered.status).isEqualTo(200);
        assertThat(registered.contentType).isEqualTo("application/vnd.schemaregistry.v1+json");
        int id = registered.json.get("id").asInt();
        assertThat(again.json.get("id").asInt()).isEqualTo(id);
        assertThat(call("GET", "/schemas/ids/" + id, null).json.get("schema").asString())
                .isEqualTo(new org.apache.avro.Schema.Parser().parse(V1).toString());
        assertThat(call("GET", "/schemas/ids/" + id + "/schema", null).json.get("name").asString())
                .isEqualTo("Probe");
        assertThat(call("GET", "/subjects", null).json.toString()).isEqualTo("[\"probe-value\"]");
        assertThat(call("GET", "/subjects/probe-value/versions", null).json.toString()).isEqualTo("[1,2]");
        JsonNode latest = call("GET", "/subjects/probe-value/versions/latest", null).json;
        assertThat(latest.get("version").asInt()).isEqualTo(2);
        assertThat(latest.get("id").asInt()).isEqualTo(second.json.get("id").asInt());
        assertThat(latest.get("subject").asString()).isEqualTo("probe-value");
        assertThat(call("GET", "/subjects/probe-value/versions/1/schema", null).json.get("type").asString())
                .isEqualTo("record");
        JsonNode lookup = call("POST", "/subjects/probe-value", schemaBody(V1)).json;
        assertThat(lookup.get("version").asInt()).isEqualTo(1);
        assertThat(lookup.get("id").asInt()).isEqualTo(id);
    }

    @Test
    void answersConfluentErrorBodies() throws Exception {
        call("POST", "/subjects/probe-value/versions", schemaBody(V1));

        assertError(call("GET", "/subjects/nope/versions", null), 404, 40401);
        assertError(call("GET", "/subjects/probe-value/versions/9", null), 404, 40402);
        assertError(call("GET", "/schemas/ids/999", null), 404, 40403);
        assertError(call("POST", "/subjects/probe-value", schemaBody(V2_COMPATIBLE)), 404, 40403);
        assertError(call("GET", "/subjects/probe-value/versions/0", null), 422, 42202);
        assertError(call("GET", "/subjects/probe-value/versions/abc", null), 422, 42202);
        Reply malformed = call("POST", "/subjects/probe-value/versions",
                schemaBody("{\"type\":\"record\",\"name\":\"X\",\"fields\":[{\"name\":\"a\",\"type\":\"strin\"}]}"));
        assertError(malformed, 422, 42201);
        assertThat(malformed.json.get("message").asString()).contains("strin");
        Reply incompatible = call("POST", "/subjects/probe-value/versions", schemaBody(V2_INCOMPATIBLE));
        assertError(incompatible, 409, 409);
        assertThat(incompatible.json.get("message").asString()).contains("READER_FIELD_MISSING_DEFAULT");
        assertError(call("POST", "/subjects/probe-value/versions", "not json"), 400, 400);
        assertError(call("DELETE", "/subjects", null), 405, 405);
        assertError(call("GET", "/nothing/here", null), 404, 404);
    }

    @Test
    void checksCompatibilityAndKeepsGlobalAndSubjectLevels() throws Exception {
        call("POST", "/subjects/probe-value/versions", schemaBody(V1));

        assertThat(call("POST", "/compatibility/subjects/probe-value/versions/latest",
                schemaBody(V2_COMPATIBLE)).json.get("is_compatible").asBoolean()).isTrue();
        JsonNode verdict = call("POST", "/compatibility/subjects/probe-value/versions/1?verbose=true",
                schemaBody(V2_INCOMPATIBLE)).json;
        assertThat(verdict.get("is_compatible").asBoolean()).isFalse();
        assertThat(verdict.get("messages").toString()).contains("READER_FIELD_MISSING_DEFAULT");

        assertThat(call("GET", "/config", null).json.get("compatibilityLevel").asString()).isEqualTo("BACKWARD");
        assertError(call("GET", "/config/probe-value", null), 404, 40408);
        assertThat(call("GET", "/config/probe-value?defaultToGlobal=true", null).json.get("compatibilityLevel")
                .asString()).isEqualTo("BACKWARD");
        assertThat(call("PUT", "/config/probe-value", "{\"compatibility\":\"NONE\"}").json.get("compatibility")
                .asString()).isEqualTo("NONE");
        assertThat(call("GET", "/config/probe-value", null).json.get("compatibilityLevel").asString())
                .isEqualTo("NONE");
        assertThat(call("POST", "/subjects/probe-value/versions", schemaBody(V2_INCOMPATIBLE)).status)
                .isEqualTo(200);
        assertError(call("PUT", "/config", "{\"compatibility\":\"SIDEWAYS\"}"), 422, 42203);
        assertThat(call("PUT", "/config", "{\"compatibility\":\"full\"}").json.get("compatibility").asString())
                .isEqualTo("FULL");
    }

    @Test
    void keepsIdsVersionsAndLevelsAcrossARestartInACompactedTopic() throws Exception {
        int id1 = call("POST", "/subjects/a-value/versions", schemaBody(V1)).json.get("id").asInt();
        int id2 = call("POST", "/subjects/a-value/versions", schemaBody(V2_COMPATIBLE)).json.get("id").asInt();
        call("PUT", "/config", "{\"compatibility\":\"FULL\"}");
        call("PUT", "/config/a-value", "{\"compatibility\":\"NONE\"}");

        server.close();
        server = newServer();
        server.start();

        assertThat(call("GET", "/schemas/ids/" + id1, null).json.get("schema").asString()).contains("Probe");
        assertThat(call("GET", "/subjects/a-value/versions/latest", null).json.get("id").asInt()).isEqualTo(id2);
        assertThat(call("POST", "/subjects/a-value/versions", schemaBody(V1)).json.get("id").asInt())
                .isEqualTo(id1);
        assertThat(call("GET", "/config", null).json.get("compatibilityLevel").asString()).isEqualTo("FULL");
        assertThat(call("GET", "/config/a-value", null).json.get("compatibilityLevel").asString())
                .isEqualTo("NONE");
        int id3 = call("POST", "/subjects/b-value/versions", schemaBody(V2_INCOMPATIBLE)).json.get("id").asInt();
        assertThat(id3).isGreaterThan(id2);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedKafka.bootstrapServers()))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            assertThat(admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource)
                    .get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
        }
    }

    @Test
    void deletesSoftThenPermanentlyAndSwitchesModesAndARestartAgrees() throws Exception {
        int id1 = call("POST", "/subjects/a-value/versions", schemaBody(V1)).json.get("id").asInt();
        int id2 = call("POST", "/subjects/a-value/versions", schemaBody(V2_COMPATIBLE)).json.get("id").asInt();
        call("POST", "/subjects/b-value/versions", schemaBody(V1));

        assertThat(call("DELETE", "/subjects/a-value/versions/1", null).json.asInt()).isEqualTo(1);
        assertError(call("DELETE", "/subjects/a-value/versions/1", null), 404, 40406);
        assertError(call("DELETE", "/subjects/a-value/versions/2?permanent=true", null), 404, 40407);
        assertThat(call("DELETE", "/subjects/b-value", null).json.toString()).isEqualTo("[1]");
        assertError(call("DELETE", "/subjects/b-value", null), 404, 40404);
        assertError(call("DELETE", "/subjects/a-value?permanent=true", null), 404, 40405);
        assertThat(call("DELETE", "/subjects/b-value?permanent=true", null).json.toString()).isEqualTo("[1]");
        assertError(call("DELETE", "/subjects/nope", null), 404, 40401);
        assertThat(call("GET", "/schemas/ids/" + id1 + "/versions?deleted=true", null).json.toString())
                .isEqualTo("[{\"subject\":\"a-value\",\"version\":1}]");
        assertThat(call("PUT", "/mode/a-value", "{\"mode\":\"READONLY\"}").json.get("mode").asString())
                .isEqualTo("READONLY");

        server.close();
        server = newServer();
        server.start();

        assertThat(call("GET", "/subjects", null).json.toString()).isEqualTo("[\"a-value\"]");
        assertThat(call("GET", "/subjects?deleted=true", null).json.toString()).isEqualTo("[\"a-value\"]");
        assertThat(call("GET", "/subjects/a-value/versions", null).json.toString()).isEqualTo("[2]");
        assertThat(call("GET", "/subjects/a-value/versions?deleted=true", null).json.toString()).isEqualTo("[1,2]");
        assertError(call("GET", "/subjects/a-value/versions/1", null), 404, 40402);
        assertThat(call("GET", "/subjects/a-value/versions/1?deleted=true", null).json.get("id").asInt())
                .isEqualTo(id1);
        assertError(call("POST", "/subjects/a-value", schemaBody(V1)), 404, 40403);
        assertThat(call("POST", "/subjects/a-value?deleted=true", schemaBody(V1)).json.get("version").asInt())
                .isEqualTo(1);
        // the soft-deleted version's schema still decodes what was written with it
        assertThat(call("GET", "/schemas/ids/" + id1, null).status).isEqualTo(200);
        assertThat(call("GET", "/schemas/ids/" + id1 + "/versions", null).json.toString()).isEqualTo("[]");
        assertThat(call("GET", "/schemas/ids/" + id2 + "/versions", null).json.toString())
                .isEqualTo("[{\"subject\":\"a-value\",\"version\":2}]");
        assertThat(call("GET", "/schemas/ids/" + id2 + "/subjects", null).json.toString()).isEqualTo("[\"a-value\"]");
        assertError(call("GET", "/schemas/ids/999/versions", null), 404, 40403);
        assertError(call("GET", "/subjects/b-value/versions?deleted=true", null), 404, 40401);
        assertThat(call("GET", "/mode/a-value", null).json.get("mode").asString()).isEqualTo("READONLY");
        assertError(call("DELETE", "/subjects/a-value/versions/2", null), 422, 42205);
        assertError(call("POST", "/subjects/a-value/versions", schemaBody(V1)), 422, 42205);
        assertThat(call("GET", "/mode", null).json.get("mode").asString()).isEqualTo("READWRITE");
        assertError(call("GET", "/mode/b-value", null), 404, 40409);
        assertThat(call("GET", "/mode/b-value?defaultToGlobal=true", null).json.get("mode").asString())
                .isEqualTo("READWRITE");
        assertError(call("PUT", "/mode", "{\"mode\":\"SIDEWAYS\"}"), 422, 42204);
        assertError(call("PUT", "/mode", "{\"mode\":\"IMPORT\"}"), 422, 42205);
        assertThat(call("PUT", "/mode?force=true", "{\"mode\":\"IMPORT\"}").json.get("mode").asString())
                .isEqualTo("IMPORT");
        assertThat(call("DELETE", "/mode/a-value", null).json.get("mode").asString()).isEqualTo("READONLY");
        Reply imported = call("POST", "/subjects/c-value/versions",
                "{\"schema\":" + CwomJson.mapper().writeValueAsString(V2_INCOMPATIBLE) + ",\"id\":4242,\"version\":3}");
        assertThat(imported.json.get("id").asInt()).as(imported.json.toString()).isEqualTo(4242);
        assertThat(call("GET", "/subjects/c-value/versions/3", null).json.get("id").asInt()).isEqualTo(4242);
    }

    @Test
    void bindsToLoopbackByDefault() {
        assertThat(server.url()).startsWith("http://127.0.0.1:");
    }

    private static String schemaBody(String schema) {
        return CwomJson.mapper().createObjectNode().put("schema", schema).toString();
    }

    private static void assertError(Reply reply, int status, int code) {
        assertThat(reply.status).as(reply.json.toString()).isEqualTo(status);
        assertThat(reply.json.get("error_code").asInt()).as(reply.json.toString()).isEqualTo(code);
        assertThat(reply.json.get("message").asString()).isNotBlank();
    }

    private record Reply(int status, String contentType, JsonNode json) {
    }

    private Reply call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/vnd.schemaregistry.v1+json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/vnd.schemaregistry.v1+json");
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                CwomJson.mapper().readTree(response.body()));
    }
}
