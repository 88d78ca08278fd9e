package dev.cwom.artifacts.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.artifacts.blobs.BlobStore;
import dev.cwom.model.Artifact;
import dev.cwom.model.VerificationStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactVerifierTests {

    private static final String ABSENT = "sha256:" + "a".repeat(64);

    @TempDir
    Path root;

    BlobStore store;
    ArtifactVerifier verifier;
    String digest;

    @BeforeEach
    void store() throws IOException {
        store = new BlobStore(root, 1024);
        verifier = new ArtifactVerifier(store, URI.create("https://artifacts.example/"));
        byte[] body = "trace bundle".getBytes(StandardCharsets.UTF_8);
        digest = store.put(new ByteArrayInputStream(body), body.length, null, null).blob().digest().toString();
    }

    @Test
    void aStoredBlobWhoseBytesMatchTheDigestPassesUnderThePublicUrlOrABlobsPath() {
        for (String uri : new String[] {"https://artifacts.example/blobs/" + digest,
            "https://artifacts.example/blobs/" + digest.substring("sha256:".length()) + "?download=1",
            "http://10.0.0.7:8083/blobs/" + digest}) {
            Artifact.Verification verification = verifier.verify(uri, digest);

            assertThat(verification.status()).as(uri).isEqualTo(VerificationStatus.PASSED);
            assertThat(verification.checks()).as(uri)
                    .containsExactly(new Artifact.Check("sha256", VerificationStatus.PASSED, uri));
        }
    }

    @Test
    void aMissingBlobOrADigestOtherThanTheStoredBytesFails() {
        assertThat(verifier.verify("https://artifacts.example/blobs/" + ABSENT, ABSENT).status())
                .isEqualTo(VerificationStatus.FAILED);
        assertThat(verifier.verify("https://artifacts.example/blobs/" + digest, ABSENT).status())
                .isEqualTo(VerificationStatus.FAILED);
        assertThat(verifier.verify("https://artifacts.example/blobs/not-a-digest", digest).status())
                .isEqualTo(VerificationStatus.FAILED);
    }

    @Test
    void anArtifactOutsideTheStoreOrWithoutADigestStaysUnverified() {
        assertThat(verifier.verify("https://github.com/o/r/pull/7", digest))
                .isEqualTo(new Artifact.Verification(VerificationStatus.UNVERIFIED, java.util.List.of()));
        assertThat(verifier.verify("https://artifacts.example/blobs/" + digest, null).status())
                .isEqualTo(VerificationStatus.UNVERIFIED);
    }
}
