package dev.cwom.artifacts.blobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.artifacts.ArtifactServiceTest;
import dev.cwom.auth.Scopes;
import dev.cwom.testing.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The blob store tried without credentials and with the wrong scope: uploads need {@code blobs.write}, downloads
 * {@code blobs.read}; a refused upload stores nothing. Health stays open, the rest needs {@code cwom.admin}.
 */
class BlobAccessTests extends ArtifactServiceTest {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void refusesAnonymousUploadsAndDownloads() throws Exception {
        for (HttpRequest.Builder request : java.util.List.of(put("anonymous".getBytes()), get(DIGEST),
                head(DIGEST))) {
            HttpResponse<String> response = send(request, null);

            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    value -> assertThat(value).startsWith("Bearer"));
        }
    }

    @Test
    void uploadingNeedsBlobsWriteAndStoresNothingOtherwise() throws Exception {
        byte[] body = "only writers may store this".getBytes();
        String hex = BlobStoreTests.sha256Hex(body);
        for (String scope : Scopes.ALL) {
            if (scope.equals(Scopes.BLOBS_WRITE)) {
                continue;
            }
            HttpResponse<String> response = send(put(body), TestTokens.withScope(scope));

            assertThat(response.statusCode()).as(scope).isEqualTo(403);
            assertThat(response.body()).contains("INSUFFICIENT_SCOPE").contains(Scopes.BLOBS_WRITE);
        }
        assertThat(BlobStoreTests.filesUnder(BlobApiTests.root)).noneMatch(path -> path.toString().contains(hex));

        assertThat(send(put(body), TestTokens.withScope(Scopes.BLOBS_WRITE)).statusCode()).isEqualTo(201);
    }

    @Test
    void downloadingNeedsBlobsRead() throws Exception {
        byte[] body = "readers only".getBytes();
        String digest = "sha256:" + BlobStoreTests.sha256Hex(body);
        assertThat(send(put(body), TestTokens.withScope(Scopes.BLOBS_WRITE)).statusCode()).isIn(200, 201);

        assertThat(send(get(digest), TestTokens.withScope(Scopes.BLOBS_WRITE)).statusCode()).isEqualTo(403);
        assertThat(send(head(digest), TestTokens.withScope(Scopes.READ)).statusCode()).isEqualTo(403);
        HttpResponse<String> read = send(get(digest), TestTokens.withScope(Scopes.BLOBS_READ));
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).isEqualTo("readers only");
    }

    @Test
    void keepsHealthOpenAndTheRestForTheOperator() throws Exception {
        assertThat(send(HttpRequest.newBuilder(uri("/actuator/health/readiness")), null).statusCode())
                .isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(uri("/actuator/info")), TestTokens.withScope(Scopes.BLOBS_READ))
                .statusCode()).isEqualTo(403);
        assertThat(send(HttpRequest.newBuilder(uri("/actuator/info")), TestTokens.withScope(Scopes.ADMIN))
                .statusCode()).isEqualTo(200);
    }

    private HttpRequest.Builder put(byte[] body) {
        return HttpRequest.newBuilder(uri("/blobs")).header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private HttpRequest.Builder get(String digest) {
        return HttpRequest.newBuilder(uri("/blobs/" + digest)).GET();
    }

    private HttpRequest.Builder head(String digest) {
        return HttpRequest.newBuilder(uri("/blobs/" + digest)).method("HEAD", HttpRequest.BodyPublishers.noBody());
    }

    private HttpResponse<String> send(HttpRequest.Builder request, @Nullable String token) throws Exception {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
