package dev.cwom.service.security;

import dev.cwom.auth.Scopes;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.cwom.auth.ApiTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Authentication and scopes over real HTTP: API tokens by hash, JWTs signed by a configured key, and the problem
 * answers of 401, 403 and refused requests.
 */
@SpringBootTest(classes = SecuredTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "server.address=127.0.0.1")
class CwomSecurityTests {

    static final String READER = ApiTokens.generate();
    static final String SUBMITTER = ApiTokens.generate();
    static final String ADMIN = ApiTokens.generate();
    static final KeyPair JWT_KEYS = rsaKeys();
    static final KeyPair OTHER_KEYS = rsaKeys();

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @Value("${local.server.port}")
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        token(registry, 0, "reader", READER, Scopes.READ);
        token(registry, 1, "submitter", SUBMITTER, Scopes.SUBMIT);
        token(registry, 2, "operator", ADMIN, Scopes.ADMIN);
        Path pem = Files.createTempFile("jwt-key", ".pem");
        pem.toFile().deleteOnExit();
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(JWT_KEYS.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", () -> "file:" + pem);
    }

    private static void token(DynamicPropertyRegistry registry, int index, String name, String token, String scope) {
        String prefix = "cwom.security.api-tokens[" + index + "].";
        registry.add(prefix + "name", () -> name);
        registry.add(prefix + "sha256", () -> ApiTokens.sha256Hex(token));
        registry.add(prefix + "scopes", () -> scope);
    }

    @Test
    void answersUnauthenticatedProblemWithoutCredentials() throws Exception {
        HttpResponse<String> response = get("/things/1", null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).startsWith("Bearer"));
        assertProblem(response, "UNAUTHENTICATED");
    }

    @Test
    void refusesAnUnknownToken() throws Exception {
        HttpResponse<String> response = get("/things/1", ApiTokens.generate());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).contains("invalid_token"));
        assertProblem(response, "INVALID_TOKEN");
    }

    @Test
    void grantsATokenWithTheScopeAndNamesItsPrincipal() throws Exception {
        HttpResponse<String> response = get("/things/7", READER);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("reader read 7");
    }

    @Test
    void forbidsATokenWithoutTheScopeAndNamesTheScope() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/things"))
                .POST(HttpRequest.BodyPublishers.noBody()), READER);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).contains("insufficient_scope").contains("cwom.submit"));
        JsonNode problem = assertProblem(response, "INSUFFICIENT_SCOPE");
        assertThat(problem.get("required_scope").asString()).isEqualTo(Scopes.SUBMIT);
        assertThat(problem.get("granted_scopes").toString()).contains(Scopes.READ);

        HttpResponse<String> allowed = send(HttpRequest.newBuilder(uri("/things"))
                .POST(HttpRequest.BodyPublishers.noBody()), SUBMITTER);
        assertThat(allowed.body()).isEqualTo("submitter created");
    }

    @Test
    void closesWhatNoRuleNamesToAllButTheAdmin() throws Exception {
        assertThat(get("/unlisted", READER).statusCode()).isEqualTo(403);
        assertThat(get("/unlisted", SUBMITTER).statusCode()).isEqualTo(403);
        assertThat(get("/unlisted", ADMIN).body()).isEqualTo("admin only");
    }

    @Test
    void acceptsAJwtSignedByTheConfiguredKeyWithItsScopes() throws Exception {
        HttpResponse<String> response = get("/things/3", jwt(JWT_KEYS, "alice@example.org", "cwom.read openid"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("alice@example.org read 3");
        assertThat(get("/unlisted", jwt(JWT_KEYS, "alice@example.org", "cwom.read")).statusCode()).isEqualTo(403);
    }

    @Test
    void refusesAJwtSignedByAnotherKey() throws Exception {
        HttpResponse<String> response = get("/things/3", jwt(OTHER_KEYS, "mallory", "cwom.read cwom.admin"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertProblem(response, "INVALID_TOKEN");
    }

    @Test
    void answersTheFirewallsRefusalAsProblem() throws Exception {
        HttpResponse<String> response = get("/things/a;jsessionid=1", READER);

        assertThat(response.statusCode()).isEqualTo(400);
        assertProblem(response, "REQUEST_REJECTED");
    }

    private JsonNode assertProblem(HttpResponse<String> response, String code) {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("code").asString()).isEqualTo(code);
        assertThat(problem.get("status").asInt()).isEqualTo(response.statusCode());
        assertThat(problem.get("detail").asString()).isNotBlank();
        return problem;
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET(), token);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String token) throws Exception {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static String jwt(KeyPair keys, String subject, String scope) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder()
                .subject(subject).claim("scope", scope).issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(300))).build());
        jwt.sign(new RSASSASigner((RSAPrivateKey) keys.getPrivate()));
        return jwt.serialize();
    }

    private static KeyPair rsaKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
