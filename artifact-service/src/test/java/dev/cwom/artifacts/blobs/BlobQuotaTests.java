package dev.cwom.artifacts.blobs;

import static dev.cwom.artifacts.blobs.BlobApiTests.randomBytes;
import static dev.cwom.artifacts.blobs.BlobApiTests.readResponse;
import static dev.cwom.artifacts.blobs.BlobApiTests.storedFilesNamed;
import static dev.cwom.artifacts.blobs.BlobStoreTests.filesUnder;
import static dev.cwom.artifacts.blobs.BlobStoreTests.sha256Hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.artifacts.ArtifactServiceTest;
import dev.cwom.testing.TestTokens;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Per-principal storage quota and upload rate over real HTTP; principals are API tokens of their own, each
 * test has principals of its own (their usage lives in the shared database).
 */
class BlobQuotaTests extends ArtifactServiceTest {

    private static final String PROBLEM_JSON = "application/problem+json";

    @LocalServerPort
    int port;

    @Autowired
    BlobUploadLedger ledger;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aDeclaredLengthAboveTheQuotaIsRefusedBeforeReadingTheBody() throws Exception {
        assertThat(put("quota-declared", randomBytes(40_000, 21), true, null).statusCode()).isEqualTo(201);

        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("PUT /blobs HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + TestTokens.forPrincipal("quota-declared")
                    + "\r\nContent-Length: 30000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            // Not a byte of the body is sent: the answer must come from the declared length alone.
            String response = readResponse(socket.getInputStream());

            assertThat(response).startsWith("HTTP/1.1 413 ");
            assertThat(response).contains("Content-Type: " + PROBLEM_JSON, "\"code\":\"QUOTA_EXCEEDED\"",
                    "\"used_bytes\":40000", "\"upload_bytes\":30000", "\"limit_bytes\":" + QUOTA_BYTES,
                    "Principal 'quota-declared'", "cwom.artifact.blobs.quota.principals.[quota-declared].bytes");
        }
        assertThat(ledger.usedBytes("quota-declared")).isEqualTo(40_000);
    }

    @Test
    void aStreamedBodyAboveTheQuotaIsDiscardedAndOtherPrincipalsAreUnaffected() throws Exception {
        assertThat(put("quota-streamed", randomBytes(40_000, 22), false, null).statusCode()).isEqualTo(201);
        byte[] tooMuch = randomBytes(30_000, 23);

        // Chunked, so the quota can only be checked once the body is in.
        HttpResponse<String> refused = put("quota-streamed", tooMuch, false, null);

        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(refused.headers().firstValue("Content-Type")).contains(PROBLEM_JSON);
        assertThat(refused.body()).contains("\"code\":\"QUOTA_EXCEEDED\"", "\"used_bytes\":40000",
                "\"upload_bytes\":30000", "\"limit_bytes\":" + QUOTA_BYTES);
        assertThat(storedFilesNamed(sha256Hex(tooMuch))).isEmpty();
        assertThat(filesUnder(BLOB_ROOT.resolve("incoming"))).isEmpty();
        assertThat(ledger.usedBytes("quota-streamed")).isEqualTo(40_000);

        HttpResponse<String> other = put("quota-other", tooMuch, false, null);

        assertThat(other.statusCode()).isEqualTo(201);
        assertThat(ledger.usedBytes("quota-other")).isEqualTo(30_000);
        assertThat(ledger.usedBytes("quota-streamed")).isEqualTo(40_000);
    }

    @Test
    void storingTheSameBlobAgainCostsNothingButABlobOfAnotherPrincipalCounts() throws Exception {
        byte[] body = randomBytes(40_000, 24);
        String digest = "sha256:" + sha256Hex(body);
        assertThat(put("quota-again", body, true, digest).statusCode()).isEqualTo(201);

        // Twice the body would be above the quota; each of these would be refused if it counted again.
        assertThat(put("quota-again", body, false, null).statusCode()).isEqualTo(200);
        assertThat(put("quota-again", body, true, digest).statusCode()).isEqualTo(200);
        assertThat(put("quota-again", randomBytes(20_000, 25), true, null).statusCode()).isEqualTo(201);

        assertThat(ledger.usedBytes("quota-again")).isEqualTo(60_000);
        // The same content for a principal that did not store it yet: it references the blob, so it pays.
        assertThat(put("quota-of-someone-else", body, true, null).statusCode()).isEqualTo(200);
        assertThat(ledger.usedBytes("quota-of-someone-else")).isEqualTo(40_000);
    }

    @Test
    void uploadsAboveThePrincipalsRateAreTooManyRequestsWithRetryAfter() throws Exception {
        for (int i = 0; i < RATE_LIMIT_PER_MINUTE; i++) {
            assertThat(put("rate-limited", randomBytes(100, 30 + i), true, null).statusCode()).isIn(200, 201);
        }
        byte[] next = randomBytes(100, 40);

        HttpResponse<String> refused = put("rate-limited", next, true, null);
        HttpResponse<String> anotherPrincipal = put("not-rate-limited", next, true, null);

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type")).contains(PROBLEM_JSON);
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Integer.parseInt(seconds)).isBetween(1, 60 / RATE_LIMIT_PER_MINUTE));
        assertThat(refused.body()).contains("\"code\":\"UPLOAD_RATE_EXCEEDED\"",
                "\"limit_per_minute\":" + RATE_LIMIT_PER_MINUTE, "uploads-per-minute");
        assertThat(anotherPrincipal.statusCode()).isEqualTo(201);
        assertThat(ledger.holds("rate-limited", new BlobDigest(sha256Hex(next)))).isFalse();
    }

    private HttpResponse<String> put(String principal, byte[] body, boolean withLength, @Nullable String expected)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/blobs"))
                .header("Authorization", "Bearer " + TestTokens.forPrincipal(principal))
                .header("Content-Type", "application/octet-stream")
                .PUT(withLength ? HttpRequest.BodyPublishers.ofByteArray(body)
                        : HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
        if (expected != null) {
            request.header("X-Expected-Digest", expected);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
