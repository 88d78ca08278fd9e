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
import org.springframework.util.unit.DataSize;

class ArtifactVerifierTests {

    private static final String ABSENT = "sha256:" + "a".repeat(64);
    private static final int MAX = 64;

    @TempDir
    Path root;

    BlobStore store;
    ArtifactVerifier verifier;
    String digest;

    @BeforeEach
    void store() throws IOException {
        store = new BlobStore(root, 1024);
        verifier = new ArtifactVerifier(store, URI.create("https://artifacts.example/"), DataSize.ofBytes(MAX));
        byte[] body = "trace bundle".getBytes(StandardCharsets.UTF_8);
        digest = store.put(new ByteArrayInputStream(body), body.length, null, null).blob().digest().toString();
    }

    @Test
    void aStoredBlobWhoseBytesMatchTheDigestPassesUnderThePublicUrlOrABlobsPath() {
        for (String uri : new String[] {"https://artifacts.example/blobs/" + digest,
            "https://artifacts.example/blobs/" + digest.substring("sha256:".length()) + "?download=1",
            "http://10.0.0.7:8083/blobs/" + digest}) {
            ArtifactVerifier.Verdict verdict = verifier.verify(uri, digest);
            Artifact.Verification verification = verdict.verification();

            assertThat(verification.status()).as(uri).isEqualTo(VerificationStatus.PASSED);
            assertThat(verification.checks()).as(uri)
                    .containsExactly(new Artifact.Check("sha256", VerificationStatus.PASSED, uri));
            assertThat(verdict.note()).isNull();
        }
    }

    @Test
    void aMissingBlobOrADigestOtherThanTheStoredBytesFails() {
        assertThat(verifier.verify("https://artifacts.example/blobs/" + ABSENT, ABSENT).verification().status())
                .isEqualTo(VerificationStatus.FAILED);
        assertThat(verifier.verify("https://artifacts.example/blobs/" + digest, ABSENT).verification().status())
                .isEqualTo(VerificationStatus.FAILED);
        assertThat(verifier.verify("https://artifacts.example/blobs/not-a-digest", digest).verification().status())
                .isEqualTo(VerificationStatus.FAILED);
    }

    @Test
    void anArtifactOutsideTheStoreOrWithoutADigestStaysUnverified() {
        assertThat(verifier.verify("https://github.com/o/r/pull/7", digest)).isEqualTo(new ArtifactVerifier.Verdict(
                new Artifact.Verification(VerificationStatus.UNVERIFIED, java.util.List.of()), null));
        assertThat(verifier.verify("https://artifacts.example/blobs/" + digest, null).verification().status())
                .isEqualTo(VerificationStatus.UNVERIFIED);
    }

    @Test
    void aBlobAboveTheSizeLimitIsNotHashedButRecordedUnverifiedWithTheReasonAndOneAtTheLimitIsVerified()
            throws IOException {
        byte[] atLimit = "x".repeat(MAX).getBytes(StandardCharsets.UTF_8);
        byte[] aboveLimit = "y".repeat(MAX + 1).getBytes(StandardCharsets.UTF_8);
        String atLimitDigest = store.put(new ByteArrayInputStream(atLimit), atLimit.length, null, null).blob()
                .digest().toString();
        String aboveLimitDigest = store.put(new ByteArrayInputStream(aboveLimit), aboveLimit.length, null, null)
                .blob().digest().toString();
        String uri = "https://artifacts.example/blobs/" + aboveLimitDigest;

        ArtifactVerifier.Verdict above = verifier.verify(uri, ABSENT);

        // ABSENT would fail a hash: unverified proves the bytes were never read.
        assertThat(above.verification()).isEqualTo(new Artifact.Verification(VerificationStatus.UNVERIFIED,
                java.util.List.of(new Artifact.Check("sha256", VerificationStatus.UNVERIFIED, uri))));
        assertThat(above.note()).contains(aboveLimitDigest, (MAX + 1) + " bytes",
                "cwom.artifact.sink.verify-max-size (" + MAX + "B)");
        assertThat(verifier.verify("https://artifacts.example/blobs/" + atLimitDigest, atLimitDigest)
                .verification().status()).isEqualTo(VerificationStatus.PASSED);
    }
}
