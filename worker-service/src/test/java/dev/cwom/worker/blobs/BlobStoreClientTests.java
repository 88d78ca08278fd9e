package dev.cwom.worker.blobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cwom.service.tracing.TraceHeaders;
import dev.cwom.json.Digests;
import dev.cwom.worker.WorkerProperties;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreClientTests {

    @TempDir
    Path temp;

    private final BlobStoreStub store;

    BlobStoreClientTests() throws IOException {
        store = new BlobStoreStub();
    }

    @AfterEach
    void stop() {
        store.close();
    }

    @Test
    void uploadsAFileWithItsMediaTypeAndReturnsTheStoresAnswer() throws IOException {
        Path file = Files.writeString(temp.resolve("report.json"), "{\"ok\":true}");

        UploadedBlob blob = client(store.url(), 3).upload(file, "application/json");

        assertThat(blob.digest()).isEqualTo(Digests.sha256(Files.readAllBytes(file)));
        assertThat(blob.sizeBytes()).isEqualTo(Files.size(file));
        assertThat(blob.mediaType()).isEqualTo("application/json");
        assertThat(blob.uri()).isEqualTo(store.url().resolve("/blobs/" + blob.digest()));
        assertThat(store.received()).singleElement().satisfies(r -> {
            assertThat(r.contentType()).isEqualTo("application/json");
            assertThat(r.expectedDigest()).isEqualTo(blob.digest());
            assertThat(r.body()).isEqualTo(Files.readAllBytes(file));
        });
    }

    @Test
    void uploadsSeveralFilesInOneRequestAndReturnsTheirReceiptsInOrder() throws IOException {
        Path report = Files.writeString(temp.resolve("report.json"), "{\"ok\":true}");
        Path bundle = Files.write(temp.resolve("trace.zip"), new byte[] {80, 75, 5, 6, 0, 0});
        store.failNext(503);

        List<UploadedBlob> blobs = client(store.url(), 3).uploadAll(List.of(
                new BlobStoreClient.BlobFile(report, "application/json"),
                new BlobStoreClient.BlobFile(bundle, "application/zip")));

        assertThat(blobs).extracting(UploadedBlob::digest).containsExactly(
                Digests.sha256(Files.readAllBytes(report)), Digests.sha256(Files.readAllBytes(bundle)));
        assertThat(blobs).extracting(UploadedBlob::mediaType).containsExactly("application/json", "application/zip");
        assertThat(store.requests()).as("one refused with 503, then one accepted").isEqualTo(2);
        assertThat(store.received()).hasSize(4).extracting(BlobStoreStub.Received::body)
                .containsExactly(Files.readAllBytes(report), Files.readAllBytes(bundle), Files.readAllBytes(report),
                        Files.readAllBytes(bundle));
        assertThat(store.received().getLast().expectedDigest()).isEqualTo(blobs.getLast().digest());
    }

    @Test
    void aBatchWhoseReceiptNamesAnotherBodyNamesTheFile() throws IOException {
        Path a = Files.writeString(temp.resolve("a.txt"), "a");
        Path b = Files.writeString(temp.resolve("b.txt"), "b");
        store.answerWith("{\"digest\":\"" + Digests.sha256("a".getBytes(StandardCharsets.UTF_8)) + "\",\"uri\":"
                + "\"/blobs/x\",\"size_bytes\":1,\"media_type\":\"text/plain\"}");

        assertThatThrownBy(() -> client(store.url(), 3).uploadAll(List.of(new BlobStoreClient.BlobFile(a,
                "text/plain"), new BlobStoreClient.BlobFile(b, "text/plain"))))
                .isInstanceOf(BlobStoreProtocolException.class).hasMessageContaining("b.txt");
    }

    @Test
    void uploadsAStreamReopeningItForEachAttempt() {
        store.failNext(503);
        byte[] bytes = "log line\n".getBytes(StandardCharsets.UTF_8);

        UploadedBlob blob = client(store.url(), 3).upload(() -> new ByteArrayInputStream(bytes), "text/plain");

        assertThat(blob.digest()).isEqualTo(Digests.sha256(bytes));
        assertThat(store.received()).hasSize(2).allSatisfy(r -> assertThat(r.body()).isEqualTo(bytes));
    }

    @Test
    void retriesServerErrorsUntilTheStoreAccepts() throws IOException {
        store.failNext(500, 503);
        Path file = Files.writeString(temp.resolve("a.txt"), "a");

        UploadedBlob blob = client(store.url(), 3).upload(file, "text/plain");

        assertThat(blob.digest()).isEqualTo(Digests.sha256(Files.readAllBytes(file)));
        assertThat(store.received()).hasSize(3);
    }

    @Test
    void givesUpAfterTheConfiguredAttemptsWithARetryableType() throws IOException {
        store.failNext(500, 500, 500, 500);
        Path file = Files.writeString(temp.resolve("a.txt"), "a");

        assertThatThrownBy(() -> client(store.url(), 3).upload(file, "text/plain"))
                .isInstanceOf(BlobStoreUnavailableException.class)
                .hasMessageContaining("after 3 attempts").hasMessageContaining("500");
        assertThat(store.received()).hasSize(3);
    }

    @Test
    void aStoreThatRefusesConnectionsIsUnavailable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Path file = Files.writeString(temp.resolve("a.txt"), "a");

        assertThatThrownBy(() -> client(URI.create("http://127.0.0.1:" + closedPort), 2).upload(file, "text/plain"))
                .isInstanceOf(BlobStoreUnavailableException.class)
                .hasMessageContaining("cannot be reached").hasMessageContaining("cwom.worker.blobs.url");
    }

    @Test
    void sendsTheConfiguredTokenAsBearer() throws IOException {
        Path file = Files.writeString(temp.resolve("a.txt"), "a");

        client(store.url(), 1, "cwom_worker-token").upload(file, "text/plain");

        assertThat(store.received()).singleElement()
                .satisfies(r -> assertThat(r.authorization()).isEqualTo("Bearer cwom_worker-token"));
    }

    @Test
    void refusedCredentialsAreTheWorkersToFixSoTheUploadWaits() throws IOException {
        store.failNext(401, 403, 401);
        Path file = Files.writeString(temp.resolve("a.txt"), "a");

        assertThatThrownBy(() -> client(store.url(), 3, "wrong").upload(file, "text/plain"))
                .isInstanceOf(BlobStoreUnavailableException.class)
                .hasMessageContaining("cwom.worker.blobs.token").hasMessageContaining("blobs.write");
        assertThat(store.received()).hasSize(3);
    }

    @Test
    void aClientErrorIsNotRetried() throws IOException {
        store.failNext(413);
        Path file = Files.writeString(temp.resolve("a.txt"), "a");

        assertThatThrownBy(() -> client(store.url(), 3).upload(file, "text/plain"))
                .isInstanceOfSatisfying(BlobRejectedException.class, e -> assertThat(e.status()).isEqualTo(413))
                .hasMessageContaining("413");
        assertThat(store.received()).hasSize(1);
    }

    @Test
    void anAnswerOutsideTheContractIsAProtocolError() throws IOException {
        store.answerWith("{\"digest\":\"md5:abc\"}");
        Path file = Files.writeString(temp.resolve("a.txt"), "a");

        assertThatThrownBy(() -> client(store.url(), 3).upload(file, "text/plain"))
                .isInstanceOf(BlobStoreProtocolException.class).hasMessageContaining("md5:abc");
    }

    @Test
    void aStoreThatNamesTheBodyWronglyIsAProtocolError() throws IOException {
        String otherDigest = Digests.sha256("something else".getBytes(StandardCharsets.UTF_8));
        store.answerWith("{\"digest\":\"" + otherDigest + "\",\"uri\":\"/blobs/x\",\"size_bytes\":1,"
                + "\"media_type\":\"text/plain\"}");
        Path file = Files.writeString(temp.resolve("a.txt"), "a");

        assertThatThrownBy(() -> client(store.url(), 3).upload(file, "text/plain"))
                .isInstanceOf(BlobStoreProtocolException.class).hasMessageContaining(otherDigest);
    }

    private static BlobStoreClient client(URI url, int attempts) {
        return client(url, attempts, null);
    }

    private static BlobStoreClient client(URI url, int attempts, String token) {
        return new BlobStoreClient(new WorkerProperties.Blobs(url, attempts, Duration.ofMillis(10),
                Duration.ofMillis(50), Duration.ofSeconds(2), Duration.ofSeconds(10), token), TraceHeaders.standalone());
    }
}
