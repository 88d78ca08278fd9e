package dev.cwom.artifacts.blobs;

import static dev.cwom.artifacts.blobs.BlobStoreTests.sha256Hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.artifacts.ArtifactServiceTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** What a browser is told about a blob: never to run it as a page of this origin. Real HTTP, real headers. */
class BlobServingTests extends ArtifactServiceTest {

    private static final String HTML = "<html><body><script>alert(document.domain)</script></body></html>";
    private static final String SVG = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anInertTypeIsShownInlineWithNosniffAndASandbox() throws Exception {
        for (String type : List.of("text/plain;charset=UTF-8", "application/json", "image/png")) {
            String hex = upload("inline as " + type, type);

            for (String method : List.of("GET", "HEAD")) {
                HttpResponse<String> response = fetch(method, hex);

                assertThat(response.statusCode()).as(method + " " + type).isEqualTo(200);
                assertThat(response.headers().firstValue("Content-Type")).as(type).contains(type);
                assertThat(response.headers().firstValue("Content-Disposition")).as(method + " " + type)
                        .hasValueSatisfying(value -> assertThat(value).startsWith("inline; filename=\"" + hex));
                assertProtected(response.headers());
            }
        }
        assertThat(fetch("GET", upload("{}", "application/json")).headers().firstValue("Content-Disposition"))
                .contains("inline; filename=\"" + sha256Hex("{}".getBytes(StandardCharsets.UTF_8)) + ".json\"");
    }

    @Test
    void activeAndUnlistedTypesAreDownloadsNeverRendered() throws Exception {
        for (String[] blob : List.of(new String[] {HTML, "text/html"}, new String[] {SVG, "image/svg+xml"},
                new String[] {HTML, "application/xhtml+xml"}, new String[] {"alert(1)", "application/javascript"},
                new String[] {"PK", "application/x-unknown"})) {
            // A blob keeps the type of its first upload, so each type gets content of its own.
            String hex = upload(blob[0] + "\n" + blob[1], blob[1]);

            for (String method : List.of("GET", "HEAD")) {
                HttpResponse<String> response = fetch(method, hex);

                assertThat(response.statusCode()).as(method + " " + blob[1]).isEqualTo(200);
                // The stored type is kept (clients read it); the disposition and the sandbox keep it from rendering.
                assertThat(response.headers().firstValue("Content-Type")).as(blob[1]).contains(blob[1]);
                assertThat(response.headers().firstValue("Content-Disposition")).as(method + " " + blob[1])
                        .contains("attachment; filename=\"" + hex + "\"");
                assertProtected(response.headers());
            }
        }
    }

    @Test
    void problemAnswersCarryNosniffAndTheSandboxToo() throws Exception {
        HttpResponse<String> notFound = fetch("GET", "0".repeat(64));
        HttpResponse<String> malformed = fetch("GET", "not-a-digest");

        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertProtected(notFound.headers());
        assertProtected(malformed.headers());
    }

    private static void assertProtected(HttpHeaders headers) {
        assertThat(headers.firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(headers.firstValue("Content-Security-Policy")).contains("sandbox");
    }

    private String upload(String content, String type) throws Exception {
        byte[] body = content.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> put = http.send(BlobApiTests.authorized(URI.create("http://127.0.0.1:" + port
                        + "/blobs")).header("Content-Type", type)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
        assertProtected(put.headers());
        return sha256Hex(body);
    }

    private HttpResponse<String> fetch(String method, String hex) throws Exception {
        return http.send(BlobApiTests.authorized(URI.create("http://127.0.0.1:" + port + "/blobs/" + hex))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
