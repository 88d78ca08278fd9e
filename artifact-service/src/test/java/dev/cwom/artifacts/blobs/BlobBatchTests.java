package dev.cwom.artifacts.blobs;

import static dev.cwom.artifacts.blobs.BlobApiTests.authorized;
import static dev.cwom.artifacts.blobs.BlobApiTests.randomBytes;
import static dev.cwom.artifacts.blobs.BlobApiTests.storedFilesNamed;
import static dev.cwom.artifacts.blobs.BlobStoreTests.filesUnder;
import static dev.cwom.artifacts.blobs.BlobStoreTests.sha256Hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.artifacts.ArtifactServiceTest;
import dev.cwom.auth.Scopes;
import dev.cwom.testing.TestTokens;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code POST /blobs/batch} over real HTTP: every part verified and stored, all or none, with receipts in order; each
 * refusal a problem naming the part; the same scope as a single upload.
 */
class BlobBatchTests extends ArtifactServiceTest {

    private static final String PROBLEM_JSON = "application/problem+json";

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void storesEveryPartAndAnswersTheirReceiptsInOrderAndAgainStoresNothingNew() throws Exception {
        byte[] report = "{\"report\":\"batch one\"}".getBytes(StandardCharsets.UTF_8);
        byte[] bundle = randomBytes(200_000, 31);
        byte[] body = batch(part(report, "application/json"), part(bundle, "application/zip"));

        HttpResponse<String> first = send(body, TestTokens.ALL);

        assertThat(first.statusCode()).isEqualTo(200);
        String reportUri = "http://127.0.0.1:" + port + "/blobs/sha256:" + sha256Hex(report);
        assertThat(first.body()).containsSubsequence("\"digest\":\"sha256:" + sha256Hex(report) + "\"",
                "\"uri\":\"" + reportUri + "\"", "\"size_bytes\":" + report.length,
                "\"media_type\":\"application/json\"", "\"created\":true",
                "\"digest\":\"sha256:" + sha256Hex(bundle) + "\"", "\"size_bytes\":200000",
                "\"media_type\":\"application/zip\"", "\"created\":true");
        HttpResponse<byte[]> get = http.send(authorized(URI.create(reportUri)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(get.body()).isEqualTo(report);
        assertThat(get.headers().firstValue("Content-Type")).contains("application/json");

        HttpResponse<String> again = send(body, TestTokens.ALL);

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("\"created\":false").doesNotContain("\"created\":true");
        assertThat(storedFilesNamed(sha256Hex(report))).hasSize(1);
        assertThat(storedFilesNamed(sha256Hex(bundle))).hasSize(1);
    }

    @Test
    void aPartThatDoesNotMatchItsDigestIsNamedAndNothingOfTheBatchIsStored() throws Exception {
        byte[] good = "the first part is fine".getBytes(StandardCharsets.UTF_8);
        byte[] changed = "the second part changed in transit".getBytes(StandardCharsets.UTF_8);
        String claimed = "sha256:" + sha256Hex("what the second part was".getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> response = send(batch(part(good, "text/plain"),
                header(claimed, changed.length, "text/plain"), changed), TestTokens.ALL);

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().firstValue("Content-Type")).contains(PROBLEM_JSON);
        assertThat(response.body()).contains("\"code\":\"DIGEST_MISMATCH\"", "\"part\":2", "Part 2 of the batch",
                "\"expected_digest\":\"" + claimed + "\"", "\"actual_digest\":\"sha256:" + sha256Hex(changed) + "\"");
        assertThat(storedFilesNamed(sha256Hex(good))).isEmpty();
        assertThat(storedFilesNamed(sha256Hex(changed))).isEmpty();
        assertThat(incoming()).isEmpty();
    }

    @Test
    void aPartAboveTheBlobLimitAndABatchAboveItsLimitAreTooLargeBeforeTheirBytesAreRead() throws Exception {
        byte[] small = "small".getBytes(StandardCharsets.UTF_8);
        // The headers alone decide: the bytes they announce are not even sent.
        HttpResponse<String> part = send(batch(part(small, "text/plain"),
                header("sha256:" + sha256Hex(small), MAX_BLOB_BYTES + 1L, "application/octet-stream"), small),
                TestTokens.ALL);

        assertThat(part.statusCode()).isEqualTo(413);
        assertThat(part.body()).contains("\"code\":\"BLOB_TOO_LARGE\"", "\"part\":2",
                "\"max_size_bytes\":" + MAX_BLOB_BYTES);

        byte[] big = randomBytes(BATCH_MAX_BYTES / 2 + 1, 33);
        HttpResponse<String> batch = send(batch(part(big, "application/octet-stream"),
                header("sha256:" + sha256Hex(small), BATCH_MAX_BYTES / 2 + 1, "application/octet-stream"), small),
                TestTokens.ALL);

        assertThat(batch.statusCode()).isEqualTo(413);
        assertThat(batch.body()).contains("\"code\":\"BATCH_TOO_LARGE\"", "\"part\":2",
                "\"max_size_bytes\":" + BATCH_MAX_BYTES, "cwom.artifact.blobs.batch-max-size");
        assertThat(storedFilesNamed(sha256Hex(small))).isEmpty();
        assertThat(storedFilesNamed(sha256Hex(big))).isEmpty();
        assertThat(incoming()).isEmpty();
    }

    @Test
    void moreBlobsThanTheLimitAreRefused() throws Exception {
        byte[][] parts = new byte[BATCH_MAX_COUNT + 1][];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = part(("blob " + i + " of too many").getBytes(StandardCharsets.UTF_8), "text/plain");
        }

        HttpResponse<String> response = send(batch(parts), TestTokens.ALL);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"code\":\"TOO_MANY_BLOBS\"", "\"max_count\":" + BATCH_MAX_COUNT,
                "cwom.artifact.blobs.batch-max-count");
        assertThat(storedFilesNamed(sha256Hex("blob 0 of too many".getBytes(StandardCharsets.UTF_8)))).isEmpty();
    }

    @Test
    void malformedFramingIsRefusedNamingThePart() throws Exception {
        byte[] fine = "fine".getBytes(StandardCharsets.UTF_8);
        String digest = "sha256:" + sha256Hex(fine);
        List<byte[]> malformed = List.of(
                new byte[0],
                "no header line ends".getBytes(StandardCharsets.US_ASCII),
                batch(header(digest, 4, ""), fine),
                batch(header(digest, -4, "text/plain"), fine),
                batch(header(digest, 4, "not a media type"), fine),
                batch(part(fine, "text/plain"), "sha256:1234 4 text/plain\n".getBytes(StandardCharsets.US_ASCII), fine),
                batch(part(fine, "text/plain"), ("x".repeat(600) + "\n").getBytes(StandardCharsets.US_ASCII)),
                batch(part(fine, "text/plain"), (digest + " 4 text/plain\u00e9\n").getBytes(StandardCharsets.UTF_8),
                        fine));

        for (byte[] body : malformed) {
            HttpResponse<String> response = send(body, TestTokens.ALL);

            assertThat(response.statusCode()).as(new String(body, StandardCharsets.UTF_8)).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).contains(PROBLEM_JSON);
            assertThat(response.body()).contains("\"code\":\"MALFORMED_BATCH\"", "\"part\":");
        }
        assertThat(storedFilesNamed(sha256Hex(fine))).isEmpty();
    }

    @Test
    void aBodyThatEndsInsideAPartIsInterruptedAndNothingIsStored() throws Exception {
        byte[] first = "complete".getBytes(StandardCharsets.UTF_8);
        byte[] cut = "cut short".getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = send(batch(part(first, "text/plain"),
                header("sha256:" + sha256Hex(cut), 100, "text/plain"), cut), TestTokens.ALL);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"code\":\"UPLOAD_INTERRUPTED\"", "\"part\":2");
        assertThat(storedFilesNamed(sha256Hex(first))).isEmpty();
    }

    @Test
    void aDigestThatIsAPathIsMalformedAndNothingIsWrittenOutsideTheStore() throws Exception {
        byte[] body = "not a path".getBytes(StandardCharsets.UTF_8);
        for (String name : List.of("sha256:../../../../tmp/escaped", "../" + sha256Hex(body),
                "sha256:" + sha256Hex(body) + "/../x")) {
            HttpResponse<String> response = send(batch(header(name, body.length, "text/plain"), body),
                    TestTokens.ALL);

            assertThat(response.statusCode()).as(name).isEqualTo(400);
            assertThat(response.body()).contains("\"code\":\"MALFORMED_BATCH\"", "\"part\":1");
        }
        assertThat(filesUnder(BLOB_ROOT.getParent())).allMatch(path -> path.startsWith(BLOB_ROOT)
                || !path.getFileName().toString().contains("escaped"));
        assertThat(storedFilesNamed(sha256Hex(body))).isEmpty();
    }

    @Test
    void aBatchNeedsBlobsWriteLikeASingleUpload() throws Exception {
        byte[] body = "writers only, in batches too".getBytes(StandardCharsets.UTF_8);
        byte[] batch = batch(part(body, "text/plain"));

        HttpResponse<String> anonymous = send(batch, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        for (String scope : Scopes.ALL) {
            if (!scope.equals(Scopes.BLOBS_WRITE)) {
                HttpResponse<String> refused = send(batch, TestTokens.withScope(scope));
                assertThat(refused.statusCode()).as(scope).isEqualTo(403);
                assertThat(refused.body()).contains("INSUFFICIENT_SCOPE").contains(Scopes.BLOBS_WRITE);
            }
        }
        assertThat(storedFilesNamed(sha256Hex(body))).isEmpty();

        assertThat(send(batch, TestTokens.withScope(Scopes.BLOBS_WRITE)).statusCode()).isEqualTo(200);
        assertThat(storedFilesNamed(sha256Hex(body))).hasSize(1);
    }

    @Test
    void anotherContentTypeIsUnsupported() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/blobs/batch"))
                .header("Authorization", "Bearer " + TestTokens.ALL)
                .header("Content-Type", "multipart/form-data; boundary=x")
                .POST(HttpRequest.BodyPublishers.ofByteArray(batch(part(new byte[] {1}, "text/plain")))).build();

        assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(415);
    }

    static byte[] part(byte[] bytes, String mediaType) {
        return batch(header("sha256:" + sha256Hex(bytes), bytes.length, mediaType), bytes);
    }

    static byte[] header(String digest, long size, String mediaType) {
        return (digest + " " + size + " " + mediaType + "\n").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] batch(byte[]... pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] piece : pieces) {
            out.writeBytes(piece);
        }
        return out.toByteArray();
    }

    private List<Path> incoming() throws Exception {
        return filesUnder(BLOB_ROOT.resolve("incoming")).stream()
                .filter(path -> path.getFileName().toString().startsWith("upload-")).toList();
    }

    private HttpResponse<String> send(byte[] body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/blobs/batch"))
                .header("Content-Type", BlobBatch.MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
