package dev.cwom.artifacts.blobs;

import static dev.cwom.artifacts.blobs.BlobStoreTests.filesUnder;
import static dev.cwom.artifacts.blobs.BlobStoreTests.sha256Hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.artifacts.ArtifactServiceTest;
import dev.cwom.testing.TestTokens;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

class BlobApiTests extends ArtifactServiceTest {

    private static final int MAX_BYTES = MAX_BLOB_BYTES;
    private static final String PROBLEM_JSON = "application/problem+json";

    static final Path root = BLOB_ROOT;

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private static final String AUTHORIZATION = "Authorization: Bearer " + TestTokens.ALL + "\r\n";

    /** A request with the test token of every scope; {@code BlobAccessTests} tries the others. */
    static HttpRequest.Builder authorized(URI uri) {
        return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + TestTokens.ALL);
    }

    @Test
    void uploadedBodyComesBackByteForByteWithItsDigestTypeAndCacheHeaders() throws Exception {
        byte[] body = randomBytes(2_500_000, 1);
        String digest = "sha256:" + sha256Hex(body);

        HttpResponse<String> put = send(putRequest(body, "application/x-tar"));

        assertThat(put.statusCode()).isEqualTo(201);
        String uri = "http://127.0.0.1:" + port + "/blobs/" + digest;
        assertThat(put.headers().firstValue("Location")).contains(uri);
        assertThat(put.body()).contains("\"digest\":\"" + digest + "\"", "\"uri\":\"" + uri + "\"",
                "\"size_bytes\":2500000", "\"media_type\":\"application/x-tar\"");
        String hex = digest.substring("sha256:".length());
        assertThat(root.resolve("sha256").resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex))
                .hasBinaryContent(body);

        HttpResponse<byte[]> get = http.send(authorized(URI.create(uri)).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(sha256Hex(get.body())).isEqualTo(hex);
        assertThat(get.body()).isEqualTo(body);
        assertThat(get.headers().firstValue("Content-Type")).contains("application/x-tar");
        assertThat(get.headers().firstValue("Content-Length")).contains("2500000");
        assertThat(get.headers().firstValue("ETag")).contains("\"" + digest + "\"");
        assertThat(get.headers().firstValue("Cache-Control")).hasValueSatisfying(
                value -> assertThat(value).contains("immutable", "max-age="));
    }

    @Test
    void uploadingTheSameContentAgainAnswersOkWithTheSameReceipt() throws Exception {
        byte[] body = randomBytes(10_000, 2);

        HttpResponse<String> first = send(putRequest(body, "text/plain"));
        HttpResponse<String> again = send(putRequest(body, "text/plain"));

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
        assertThat(storedFilesNamed(sha256Hex(body))).hasSize(1);
    }

    @Test
    void concurrentIdenticalUploadsAllSucceedAndLeaveOneFile() throws Exception {
        byte[] body = randomBytes(300_000, 3);
        int uploaders = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(uploaders);
        try {
            for (int i = 0; i < uploaders; i++) {
                answers.add(pool.submit((Callable<HttpResponse<String>>) () -> {
                    start.await();
                    return send(putRequest(body, "application/octet-stream"));
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get(30, TimeUnit.SECONDS);
                statuses.add(response.statusCode());
                assertThat(response.body()).contains("sha256:" + sha256Hex(body));
            }

            assertThat(statuses).containsOnly(200, 201).containsOnlyOnce(201);
        } finally {
            pool.shutdownNow();
        }
        assertThat(storedFilesNamed(sha256Hex(body))).hasSize(1);
        assertThat(filesUnder(root.resolve("incoming"))).isEmpty();
    }

    @Test
    void anUploadWhoseClientDisconnectsMidBodyLeavesNothing() throws Exception {
        List<Path> storedBefore = filesUnder(root.resolve("sha256"));
        Path incoming = root.resolve("incoming");

        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /blobs HTTP/1.1\r\nHost: 127.0.0.1\r\n" + AUTHORIZATION
                    + "Content-Type: application/octet-stream\r\n" + "Content-Length: 1000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(randomBytes(200_000, 4));
            out.flush();
            // Disconnect only once the server is demonstrably streaming the body to disk.
            await().atMost(Duration.ofSeconds(10)).until(() -> bytesUnder(incoming) > 0);
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(filesUnder(incoming)).isEmpty());
        assertThat(filesUnder(root.resolve("sha256"))).containsExactlyInAnyOrderElementsOf(storedBefore);
    }

    @Test
    void aDeclaredLengthAboveTheLimitIsRefusedBeforeReadingTheBody() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("PUT /blobs HTTP/1.1\r\nHost: 127.0.0.1\r\n" + AUTHORIZATION
                    + "Content-Length: 10000000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            // Not a byte of the body is sent: the answer must come from the declared length alone.
            String response = readResponse(socket.getInputStream());

            assertThat(response).startsWith("HTTP/1.1 413 ");
            assertThat(response).contains("Content-Type: " + PROBLEM_JSON, "cwom.artifact.blobs.max-size",
                    "\"max_size_bytes\":" + MAX_BYTES);
        }
        assertThat(filesUnder(root.resolve("incoming"))).isEmpty();
    }

    @Test
    void theServicesBodyLimitAppliesEverywhereButToBlobUploads() throws Exception {
        // uploads above cwom.http.max-body-size (1 MiB) are stored (see the 2.5 MB upload above): /blobs is excluded
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /elsewhere HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 2000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String response = readResponse(socket.getInputStream());

            assertThat(response).startsWith("HTTP/1.1 413 ");
            assertThat(response).contains("Content-Type: " + PROBLEM_JSON, "\"code\":\"BODY_TOO_LARGE\"",
                    "\"max_bytes\":1048576");
        }
    }

    @Test
    void aStreamedBodyGrowingAboveTheLimitIsRefusedAndItsPartialFileDeleted() throws Exception {
        byte[] body = randomBytes(MAX_BYTES + 512 * 1024, 5);
        // No Content-Length: sent chunked, so the limit is only found while streaming.
        HttpRequest request = authorized(blobsUri())
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();

        HttpResponse<String> response = send(request);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).contains(PROBLEM_JSON);
        assertThat(response.body()).contains("exceeds the blob store's limit of " + MAX_BYTES + " bytes");
        assertThat(filesUnder(root.resolve("incoming"))).isEmpty();
        assertThat(storedFilesNamed(sha256Hex(body))).isEmpty();
    }

    @Test
    void bodiesSentAsFormsOrMultipartAreStoredRawWithoutSpringsLimits() throws Exception {
        // Larger than Spring's default 1MB multipart and 2MB form limits, which must not apply here.
        byte[] body = randomBytes(2_200_000, 10);
        for (String type : List.of("multipart/form-data; boundary=xyz", "application/x-www-form-urlencoded")) {
            body[0]++;

            HttpResponse<String> put = send(putRequest(body, type));

            assertThat(put.statusCode()).as(type).isEqualTo(201);
            assertThat(put.body()).as(type).contains("\"digest\":\"sha256:" + sha256Hex(body) + "\"");
            assertThat(storedFilesNamed(sha256Hex(body)).getFirst()).hasBinaryContent(body);
        }
    }

    @Test
    void aMalformedDigestIsABadRequestThatShowsTheExpectedForm() throws Exception {
        for (String bad : List.of("not-a-digest", "sha256:" + "z".repeat(64), "md5:" + "0".repeat(32),
                "..%2F..%2Fetc%2Fpasswd", "sha256:" + "0".repeat(63))) {
            HttpResponse<String> response = send(authorized(
                    URI.create("http://127.0.0.1:" + port + "/blobs/" + bad)).build());

            assertThat(response.statusCode()).as(bad).isEqualTo(400);
            if (!bad.contains("%2F")) {
                // An encoded slash never reaches the application: Tomcat refuses it itself.
                assertThat(response.headers().firstValue("Content-Type")).as(bad).contains(PROBLEM_JSON);
                assertThat(response.body()).as(bad).contains("sha256:' followed by 64 hex characters");
            }
        }
    }

    @Test
    void anUnknownDigestIsNotFound() throws Exception {
        HttpResponse<String> response = send(authorized(
                URI.create("http://127.0.0.1:" + port + "/blobs/" + "0".repeat(64)))
                .header("Accept", "application/octet-stream")
                .build());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).contains(PROBLEM_JSON);
        assertThat(response.body()).contains("No blob sha256:" + "0".repeat(64));
    }

    @Test
    void headAnswersTheHeadersWithoutTheBody() throws Exception {
        byte[] body = randomBytes(5_000, 6);
        String digest = "sha256:" + sha256Hex(body);
        send(putRequest(body, "application/json"));

        HttpResponse<String> head = send(authorized(
                URI.create("http://127.0.0.1:" + port + "/blobs/" + digest))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length")).contains("5000");
        assertThat(head.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(head.headers().firstValue("ETag")).contains("\"" + digest + "\"");
    }

    @Test
    void aMatchingIfNoneMatchIsNotModified() throws Exception {
        byte[] body = randomBytes(5_000, 7);
        String digest = "sha256:" + sha256Hex(body);
        send(putRequest(body, "text/plain"));

        HttpResponse<String> response = send(authorized(
                URI.create("http://127.0.0.1:" + port + "/blobs/" + sha256Hex(body)))
                .header("If-None-Match", "\"" + digest + "\"").build());

        assertThat(response.statusCode()).isEqualTo(304);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void aBodyNotMatchingTheExpectedDigestIsRefusedAndNothingStored() throws Exception {
        byte[] body = randomBytes(50_000, 8);
        String wrong = "sha256:" + "a".repeat(64);

        HttpResponse<String> byHeader = send(authorized(blobsUri())
                .header("X-Expected-Digest", wrong)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        HttpResponse<String> byParameter = send(authorized(
                URI.create(blobsUri() + "?digest=" + "a".repeat(64)))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build());

        for (HttpResponse<String> response : List.of(byHeader, byParameter)) {
            assertThat(response.statusCode()).isEqualTo(422);
            assertThat(response.headers().firstValue("Content-Type")).contains(PROBLEM_JSON);
            assertThat(response.body()).contains("\"expected_digest\":\"" + wrong + "\"",
                    "\"actual_digest\":\"sha256:" + sha256Hex(body) + "\"");
        }
        assertThat(storedFilesNamed(sha256Hex(body))).isEmpty();
        assertThat(filesUnder(root.resolve("incoming"))).isEmpty();
    }

    @Test
    void aBodyMatchingTheExpectedDigestIsStored() throws Exception {
        byte[] body = randomBytes(50_000, 9);

        HttpResponse<String> response = send(authorized(
                URI.create(blobsUri() + "?digest=sha256:" + sha256Hex(body)))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build());

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).contains("\"media_type\":\"application/octet-stream\"");
        assertThat(storedFilesNamed(sha256Hex(body))).hasSize(1);
    }

    @Test
    void aMalformedExpectedDigestOrContentTypeIsABadRequest() throws Exception {
        HttpResponse<String> badDigest = send(authorized(blobsUri())
                .header("X-Expected-Digest", "sha1:abc")
                .PUT(HttpRequest.BodyPublishers.ofString("x")).build());
        HttpResponse<String> badType = send(authorized(blobsUri())
                .header("Content-Type", "not a media type")
                .PUT(HttpRequest.BodyPublishers.ofString("x")).build());

        assertThat(badDigest.statusCode()).isEqualTo(400);
        assertThat(badDigest.body()).contains("'sha1:abc' is malformed");
        assertThat(badType.statusCode()).isEqualTo(400);
        assertThat(badType.headers().firstValue("Content-Type")).contains(PROBLEM_JSON);
        assertThat(badType.body()).contains("not a media type");
    }

    /** Reads one HTTP/1.1 response (headers, then a Content-Length or chunked body) without waiting for EOF. */
    static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            received.write(b);
            String text = received.toString(StandardCharsets.UTF_8);
            int headerEnd = text.indexOf("\r\n\r\n");
            if (headerEnd < 0) {
                continue;
            }
            Matcher length = Pattern.compile("(?i)content-length: (\\d+)").matcher(text.substring(0, headerEnd));
            if (length.find() ? received.size() >= headerEnd + 4 + Integer.parseInt(length.group(1))
                    : text.endsWith("\r\n0\r\n\r\n")) {
                break;
            }
        }
        return received.toString(StandardCharsets.UTF_8);
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest putRequest(byte[] body, String contentType) {
        return authorized(blobsUri())
                .header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    private URI blobsUri() {
        return URI.create("http://127.0.0.1:" + port + "/blobs");
    }

    static List<Path> storedFilesNamed(String hex) throws IOException {
        return filesUnder(root.resolve("sha256")).stream()
                .filter(path -> path.getFileName().toString().equals(hex))
                .toList();
    }

    private static long bytesUnder(Path folder) throws IOException {
        long total = 0;
        for (Path file : filesUnder(folder)) {
            try {
                total += Files.size(file);
            } catch (java.nio.file.NoSuchFileException e) {
                // removed between listing and sizing
            }
        }
        return total;
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
