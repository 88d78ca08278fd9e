package dev.cwom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cwom.cli.client.ExitCodes;
import dev.cwom.json.Digests;
import dev.cwom.provenance.SigningKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * verify against the real services: artifact-service signs a finished run's attestation, ingest publishes the key,
 * and the command checks the signature and re-hashes every artifact body from the blob store.
 */
class VerifyCommandTests {

    @TempDir
    Path dir;

    @Test
    void aFinishedRunsAttestationHoldsAndFailsWithAnotherKeyOrAChangedBody() throws Exception {
        String repo = Rest.repo();
        String issue = Rest.issue(repo, "ready");
        String run = Rest.runningRun(issue, repo);
        byte[] body = ("the report of " + run + "\n").getBytes(StandardCharsets.UTF_8);
        JsonNode blob = Rest.blob(body, "text/plain");
        String artifact = Rest.artifact(run, issue, "report", blob.path("uri").asString(),
                blob.path("digest").asString());
        Rest.finishRun(run, "done");

        await().atMost(Duration.ofSeconds(30)).until(() -> Cli.run("verify", run).exitCode() != ExitCodes.NOT_FOUND);
        Cli.Result verified = Cli.run("verify", run);
        assertThat(verified.exitCode()).as(verified.toString()).isZero();
        assertThat(verified.out()).contains("holds", artifact, "signed by " + SigningKeys.load(CliServices.SIGNING_KEY)
                .keyId());
        Cli.Result json = Cli.run("verify", run, "--output", "json");
        assertThat(json.json().path("valid").asBoolean()).isTrue();
        assertThat(json.json().path("subjects")).singleElement()
                .satisfies(s -> assertThat(s.path("artifact_id").asString()).isEqualTo(artifact));

        Path otherKey = dir.resolve("other.key");
        SigningKeys.loadOrCreate(otherKey);
        Cli.Result wrongKey = Cli.run("verify", run, "--key", otherKey + ".pub");
        assertThat(wrongKey.exitCode()).as(wrongKey.toString()).isEqualTo(ExitCodes.ATTESTATION_INVALID);
        assertThat(wrongKey.out()).contains("does NOT hold", "no signature verifies");

        // the body changed in the store after the fact (sha256/ab/cd/<hex>, as BlobStore lays it out)
        String hex = Digests.hex(blob.path("digest").asString());
        Path stored = CliServices.BLOBS.resolve("sha256").resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4))
                .resolve(hex);
        assertThat(stored).exists();
        stored.toFile().setWritable(true);
        Files.writeString(stored, "a forged report\n");
        Cli.Result tampered = Cli.run("verify", run);
        assertThat(tampered.exitCode()).as(tampered.toString()).isEqualTo(ExitCodes.ATTESTATION_INVALID);
        assertThat(tampered.out()).contains(artifact, "CHANGED OR MISSING");
    }
}
