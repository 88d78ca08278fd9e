package dev.cwom.service.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cwom.auth.ApiTokens;
import dev.cwom.auth.Scopes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP through a real Tomcat: what is refused before the application is refused as problem+json. */
@SpringBootTest(classes = HygieneTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"cwom.http.max-body-size=16KB", "cwom.http.body-limit-excluded-paths=/stream/**",
                "cwom.http.json.max-nesting-depth=8", "cwom.http.json.max-string-length=100"})
class RequestHygieneTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int LIMIT = 16 * 1024;

    /** The test app names no scope rules, so its endpoints need cwom.admin. */
    private static final String TOKEN = ApiTokens.generate();

    private final HttpClient client = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void token(DynamicPropertyRegistry registry) {
        registry.add("cwom.security.api-tokens[0].name", () -> "hygiene-test");
        registry.add("cwom.security.api-tokens[0].sha256", () -> ApiTokens.sha256Hex(TOKEN));
        registry.add("cwom.security.api-tokens[0].scopes", () -> Scopes.ADMIN);
    }

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper springMapper;

    @Test
    void aBodyOverTheLimitByContentLengthIs413() throws Exception {
        HttpResponse<String> response = post("/echo", HttpRequest.BodyPublishers.ofString(jsonOfSize(LIMIT + 1)));
        JsonNode problem = problem(response, 413, "BODY_TOO_LARGE");
        assertThat(problem.get("max_bytes").asLong()).isEqualTo(LIMIT);
        assertThat(problem.get("detail").asString()).contains("Content-Length", "cwom.http.max-body-size");
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() throws Exception {
        byte[] body = jsonOfSize(LIMIT * 4).getBytes(StandardCharsets.UTF_8);
        // ofInputStream declares no length, so the client sends the body chunked
        HttpResponse<String> response = post("/echo",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
        assertThat(problem(response, 413, "BODY_TOO_LARGE").get("detail").asString()).contains("chunked");
    }

    @Test
    void bodiesWithinTheLimitReachTheApplicationChunkedOrNot() throws Exception {
        String json = jsonOfSize(LIMIT - 100);
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> chunked = post("/echo",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)));
        assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(200);
        assertThat(JSON.readTree(chunked.body())).isEqualTo(JSON.readTree(json));
        assertThat(post("/echo", HttpRequest.BodyPublishers.ofString(json)).statusCode()).isEqualTo(200);
    }

    @Test
    void anExcludedPathStreamsBodiesOverTheLimit() throws Exception {
        byte[] big = new byte[LIMIT * 8];
        HttpResponse<String> declared = post("/stream/a", HttpRequest.BodyPublishers.ofByteArray(big));
        assertThat(declared.statusCode()).as(declared.body()).isEqualTo(200);
        assertThat(JSON.readTree(declared.body()).get("bytes").asLong()).isEqualTo(big.length);
        HttpResponse<String> chunked = post("/stream/b",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)));
        assertThat(JSON.readTree(chunked.body()).get("bytes").asLong()).isEqualTo(big.length);
    }

    @Test
    void aQueryParameterThatIsNotUtf8IsA400NamingTheParameter() throws Exception {
        JsonNode problem = problem(get("/items?limit=5&cursor=%00%ff"), 400, "VALIDATION_FAILED");
        assertThat(problem.get("errors").findValuesAsString("path")).containsExactly("query.cursor");
        assertThat(rawGet("/items?cursor=%zz")).startsWith("HTTP/1.1 400").contains("\"path\":\"query.cursor\"");
        assertThat(rawGet("/items?cursor=abc%")).startsWith("HTTP/1.1 400").contains("\"code\":\"VALIDATION_FAILED\"");
        problem(get("/items?%c3%28=1"), 400, "VALIDATION_FAILED");
        HttpResponse<String> fine = get("/items?cursor=caf%C3%A9+x");
        assertThat(fine.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(fine.body()).get("cursor").asString()).isEqualTo("café x");
    }

    @Test
    void pathsTomcatRefusesAreProblemsNotHtml() throws Exception {
        for (String path : new String[] {"/items/..%2F..%2Fetc", "/items/%2e%2e%5c"}) {
            JsonNode problem = problem(get(path), 400, "MALFORMED_REQUEST");
            assertThat(problem.get("detail").asString()).contains("%2F");
        }
    }

    @Test
    void aRequestTargetWithBadEscapesOrForbiddenCharactersIsAProblemNotHtml() throws Exception {
        // java.net.http will not send these; a raw socket does
        for (String target : new String[] {"/items/%zz", "/items/%", "/items/\"quoted\"", "/items/a{b}",
                "/items?x=<y>"}) {
            String response = rawGet(target);
            assertThat(response).as(target).startsWith("HTTP/1.1 400")
                    .containsIgnoringCase("Content-Type: application/problem+json")
                    .contains("\"code\":\"MALFORMED_REQUEST\"").doesNotContain("<html");
        }
    }

    @Test
    void theJsonMapperOfTheServiceHasTheConfiguredLimits() {
        assertThatThrownBy(() -> springMapper.readTree("[".repeat(9) + "]".repeat(9)))
                .isInstanceOf(StreamConstraintsException.class).hasMessageContaining("nesting depth");
        assertThatThrownBy(() -> springMapper.readTree("{\"a\": \"" + "x".repeat(101) + "\"}"))
                .isInstanceOf(StreamConstraintsException.class).hasMessageContaining("String value length");
        assertThat(springMapper.readTree("[".repeat(8) + "]".repeat(8))).isNotNull();
    }

    private HttpResponse<String> post(String path, HttpRequest.BodyPublisher body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).POST(body)
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The whole HTTP/1.1 answer to a GET of {@code target} sent as it is. */
    private String rawGet(String target) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A JSON array of strings of about {@code size} bytes. */
    private static String jsonOfSize(int size) {
        StringBuilder json = new StringBuilder("[");
        while (json.length() < size) {
            json.append(json.length() > 1 ? "," : "").append('"').append("x".repeat(48)).append('"');
        }
        return json.append(']').toString();
    }

    private static JsonNode problem(HttpResponse<String> response, int status, String code) {
        String shown = response.statusCode() + " " + response.headers().firstValue("Content-Type").orElse("") + " "
                + response.body();
        assertThat(response.statusCode()).as(shown).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).as(shown).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("code").asString()).as(shown).isEqualTo(code);
        assertThat(body.get("status").asInt()).isEqualTo(status);
        return body;
    }
}
