package dev.cwom.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.json.CwomJson;
import dev.cwom.model.Ids;
import dev.cwom.testing.TestInfrastructure;
import dev.cwom.testing.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Base of the API tests: one application context (and one database) shared by every test class that extends it,
 * real HTTP on a random port, and fixtures that create objects through the API itself.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"cwom.ingest.tasks.allowed-repo-prefixes=acme/",
                "cwom.ingest.policy.file=" + IngestApiTest.PERMISSIVE_POLICY,
                "spring.kafka.properties.schema.registry.url=mock://ingest",
                // outage tests take the database away: fail fast and retry rather than hang 30 s per attempt
                "spring.datasource.hikari.connection-timeout=2000"})
public abstract class IngestApiTest {

    /** The policy every API test runs under unless it PUTs another (and puts this one back). */
    public static final String PERMISSIVE_POLICY = "src/test/resources/policy/permissive.yaml";

    /** The operator's attestation key; ingest publishes its public half (the {@code .pub} file next to it). */
    public static final java.nio.file.Path PROVENANCE_KEY = java.nio.file.Path.of("target", "test-keys",
            java.util.UUID.randomUUID().toString(), "provenance.key").toAbsolutePath();

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcClient jdbc;

    protected Http http;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        // the sink's tables and views first, as in a database shared with artifact-service; ingest migrates its own
        SinkDatabase.migrate(TestInfrastructure.kafkaAndDatabase(registry, "ingest_api"));
        TestTokens.register(registry);
        // the current key, and a retired one whose file is gone: left out, not an error
        registry.add("cwom.ingest.provenance.public-key-files[0]", () -> PROVENANCE_KEY + ".pub");
        registry.add("cwom.ingest.provenance.public-key-files[1]", () -> PROVENANCE_KEY.resolveSibling("gone.pub"));
    }

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    /** Puts {@code policyJson} in force through the admin API; pair with {@link #restorePermissivePolicy}. */
    protected void usePolicy(String policyJson) {
        Http.Response response = http.put("/cwom/admin/policy", policyJson);
        assertThat(response.status()).as(response.toString()).isIn(200, 201);
    }

    /** Puts the tests' permissive policy back in force. */
    protected void restorePermissivePolicy() {
        try {
            usePolicy(CwomJson.mapper().writeValueAsString(dev.cwom.policy.OperatorPolicy.parse(
                    java.nio.file.Files.readString(java.nio.file.Path.of(PERMISSIVE_POLICY))).toMap()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A slug nobody else in the shared database uses. */
    protected static String uniqueSlug(String prefix) {
        return prefix + "-" + Ids.newUlid().toLowerCase();
    }

    protected String createRepo() {
        return created(http.post("/cwom/repos", """
                {"name": "Payments", "slug": "%s"}""".formatted(uniqueSlug("acme/payments"))));
    }

    protected String createIssue(String repoId) {
        return createIssue(repoId, "planned");
    }

    protected String createIssue(String repoId, String status) {
        return created(http.post("/cwom/issues", """
                {"repo": {"kind": "Repo", "id": "%s"}, "title": "Add login", "type": "feature", "status": "%s"}"""
                .formatted(repoId, status)));
    }

    protected String createSnapshot() {
        return created(http.post("/cwom/constraint-snapshots", """
                {"scope": "run", "constraints": {"time": {"available_minutes": 15}}}"""));
    }

    protected String createDoctrine(String namespace) {
        return created(http.post("/cwom/doctrine-refs", """
                {"namespace": "%s", "name": "small-prs", "version": "1", "type": "policy", "statement": "Keep PRs small"}"""
                .formatted(namespace)));
    }

    protected String createPacket(String issueId, String version) {
        return created(http.post("/cwom/context-packets", """
                {"for_issue": {"kind": "Issue", "id": "%s"}, "version": "%s", "summary": "What we know"}"""
                .formatted(issueId, version)));
    }

    /** The top-level ids of the objects in a JSON array (not the ids of the Refs inside them). */
    protected static java.util.List<String> idsOf(JsonNode array) {
        java.util.List<String> ids = new java.util.ArrayList<>();
        array.forEach(item -> ids.add(item.get("id").asString()));
        return ids;
    }

    /** The id of the object a 201 answered. */
    protected static String created(Http.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json().get("id").asString();
    }

    /** Asserts a problem+json answer with this status and code, and returns its body. */
    protected static JsonNode problem(Http.Response response, int status, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.isProblem()).as(response.toString()).isTrue();
        JsonNode body = response.json();
        assertThat(body.path("code").asString()).as(response.toString()).isEqualTo(code);
        assertThat(body.path("status").asInt()).isEqualTo(status);
        return body;
    }
}
