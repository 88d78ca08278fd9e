package dev.cwom.artifacts.blobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cwom.json.Digests;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreTests {

    private static final byte[] BODY = "a trace bundle".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path root;

    @Test
    void storesUnderThePathDerivedFromTheDigestAndVerifiesIntactBytes() throws Exception {
        BlobStore store = new BlobStore(root, 1024);

        BlobStore.PutOutcome outcome = store.put(new ByteArrayInputStream(BODY), BODY.length, "text/plain", null);

        BlobDigest digest = outcome.blob().digest();
        assertThat(digest.hex()).isEqualTo(sha256Hex(BODY));
        assertThat(outcome.created()).isTrue();
        assertThat(store.find(digest)).contains(root.toAbsolutePath()
                .resolve("sha256").resolve(digest.hex().substring(0, 2)).resolve(digest.hex().substring(2, 4))
                .resolve(digest.hex()));
        assertThat(store.verify(digest)).isTrue();
        assertThat(filesUnder(root.resolve("incoming"))).isEmpty();
    }

    @Test
    void verifyDetectsATamperedFile() throws Exception {
        BlobStore store = new BlobStore(root, 1024);
        BlobDigest digest = store.put(new ByteArrayInputStream(BODY), -1, null, null).blob().digest();
        Path stored = store.find(digest).orElseThrow();

        Files.write(stored, "a trace bundlE".getBytes(StandardCharsets.UTF_8));

        assertThat(store.find(digest)).isPresent();
        assertThat(store.verify(digest)).isFalse();
    }

    @Test
    void verifyIsFalseAndFindEmptyForAnAbsentBlob() throws Exception {
        BlobStore store = new BlobStore(root, 1024);
        BlobDigest absent = BlobDigest.parse(sha256Hex(BODY));

        assertThat(store.find(absent)).isEmpty();
        assertThat(store.verify(absent)).isFalse();
    }

    @Test
    void storingTheSameContentTwiceKeepsOneFileAndTheFirstMediaType() throws Exception {
        BlobStore store = new BlobStore(root, 1024);

        BlobStore.PutOutcome first = store.put(new ByteArrayInputStream(BODY), BODY.length, "text/plain", null);
        BlobStore.PutOutcome second = store.put(new ByteArrayInputStream(BODY), BODY.length, "image/png", null);

        assertThat(second.created()).isFalse();
        assertThat(second.blob().digest()).isEqualTo(first.blob().digest());
        assertThat(second.blob().mediaType()).isEqualTo("text/plain");
        assertThat(store.stat(first.blob().digest()).orElseThrow().mediaType()).isEqualTo("text/plain");
        assertThat(filesUnder(root.resolve("sha256"))).hasSize(2); // the blob and its media type
    }

    @Test
    void rejectsABodyAboveTheLimitAndKeepsNothing() throws Exception {
        BlobStore store = new BlobStore(root, 8);

        // Length unknown up front: the limit is found while streaming.
        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(BODY), -1, null, null))
                .isInstanceOf(BlobTooLargeException.class)
                .hasMessageContaining("8 bytes")
                .hasMessageContaining("cwom.artifact.blobs.max-size");
        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(BODY), BODY.length, null, null))
                .isInstanceOf(BlobTooLargeException.class);
        assertThat(filesUnder(root)).isEmpty();
    }

    @Test
    void rejectsABodyWhoseDigestIsNotTheExpectedOneAndKeepsNothing() throws Exception {
        BlobStore store = new BlobStore(root, 1024);
        BlobDigest other = BlobDigest.parse("0".repeat(64));

        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(BODY), BODY.length, null, other))
                .isInstanceOf(DigestMismatchException.class)
                .hasMessageContaining(other.toString())
                .hasMessageContaining("sha256:" + sha256Hex(BODY));
        assertThat(filesUnder(root)).isEmpty();
    }

    @Test
    void aBodyThatBreaksOffOrEndsShortIsInterruptedAndLeavesNothing() throws Exception {
        BlobStore store = new BlobStore(root, 1024);
        InputStream breaksOff = new InputStream() {
            private int served;

            @Override
            public int read() throws IOException {
                if (served++ < 10) {
                    return 'x';
                }
                throw new IOException("connection reset");
            }
        };

        assertThatThrownBy(() -> store.put(breaksOff, 100, null, null))
                .isInstanceOf(UploadInterruptedException.class)
                .hasMessageContaining("after 10 of 100 bytes");
        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(BODY), BODY.length + 1, null, null))
                .isInstanceOf(UploadInterruptedException.class);
        assertThat(filesUnder(root)).isEmpty();
    }

    @Test
    void parsesPrefixedAndBareDigestsAndRejectsAnythingElse() {
        String hex = sha256Hex(BODY);

        assertThat(BlobDigest.parse("sha256:" + hex)).isEqualTo(new BlobDigest(hex));
        assertThat(BlobDigest.parse(hex.toUpperCase())).isEqualTo(new BlobDigest(hex));
        assertThat(BlobDigest.parse(hex).toString()).isEqualTo("sha256:" + hex);
        for (String bad : List.of("", "sha256:", "md5:" + hex, hex.substring(1), hex + "0",
                "../../" + hex.substring(6), "sha256:" + hex.substring(1) + "g")) {
            assertThatThrownBy(() -> BlobDigest.parse(bad))
                    .as(bad)
                    .isInstanceOf(MalformedDigestException.class)
                    .hasMessageContaining("64 hex characters");
        }
    }

    static String sha256Hex(byte[] bytes) {
        return Digests.hex(Digests.sha256(bytes));
    }

    static List<Path> filesUnder(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
