package dev.cwom.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.json.CwomJson;
import dev.cwom.json.Digests;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class AttestationTests {

    private static final byte[] PATCH = "diff --git a/x b/x\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] TRACE = "trace bundle".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private final Map<String, byte[]> blobs = new HashMap<>(Map.of(
            Digests.sha256(PATCH), PATCH, Digests.sha256(TRACE), TRACE));

    private final AttestationVerifier.Bodies bodies = (uri, digest) -> Optional.ofNullable(blobs.get(digest))
            .map(ByteArrayInputStream::new);

    private static RunAttestation attestation() {
        return new RunAttestation("01JRUN0000000000000000000A", "01JISSUE000000000000000000", "01JREPO0000000000000000000",
                "done", "worker-1", "0.1.0", "shell", "java 25", "3", "ana", Instant.parse("2026-12-07T10:00:00Z"),
                Instant.parse("2026-12-07T10:00:05Z"),
                List.of(new RunAttestation.Subject("01JART00000000000000000001", "code_patch", "text/x-diff",
                                "http://artifacts:8083/blobs/" + Digests.sha256(PATCH), Digests.sha256(PATCH)),
                        new RunAttestation.Subject("01JART00000000000000000002", "trace", "application/gzip",
                                "http://artifacts:8083/blobs/" + Digests.sha256(TRACE), Digests.sha256(TRACE))),
                List.of(new RunAttestation.Dependency("ContextPacket", "01JCP000000000000000000000", "1",
                        Digests.sha256("{}".getBytes(StandardCharsets.UTF_8)))));
    }

    private static Map<String, PublicKey> keysOf(SigningKeys.SigningKey key) {
        return Map.of(key.keyId(), key.publicKey());
    }

    @Test
    void aSignedAttestationVerifiesAndNamesItsKeyRunAndSubjects() throws Exception {
        SigningKeys.SigningKey key = SigningKeys.loadOrCreate(dir.resolve("provenance.key"));

        byte[] envelope = attestation().sign(key).toJson();
        AttestationVerifier.Verdict verdict = AttestationVerifier.verify(envelope, keysOf(key), bodies);

        assertThat(verdict.problems()).isEmpty();
        assertThat(verdict.valid()).isTrue();
        assertThat(verdict.keyId()).isEqualTo(key.keyId());
        assertThat(verdict.runId()).isEqualTo("01JRUN0000000000000000000A");
        assertThat(verdict.subjects()).extracting(AttestationVerifier.SubjectCheck::holds).containsExactly(true, true);
        // deterministic: the same run signs to the same bytes, so a second attestation is the same blob
        assertThat(attestation().sign(key).toJson()).isEqualTo(envelope);
    }

    @Test
    void theStatementIsAnInTotoStatementWithSlsaProvenance() {
        JsonNode statement = CwomJson.mapper().readTree(attestation().statement());

        assertThat(statement.path("_type").asString()).isEqualTo("https://in-toto.io/Statement/v1");
        assertThat(statement.path("predicateType").asString()).isEqualTo("https://slsa.dev/provenance/v1");
        assertThat(statement.path("subject").get(0).path("digest").path("sha256").asString())
                .isEqualTo(Digests.hex(Digests.sha256(PATCH)));
        JsonNode definition = statement.path("predicate").path("buildDefinition");
        assertThat(definition.path("externalParameters").path("policy_version").asString()).isEqualTo("3");
        assertThat(definition.path("externalParameters").path("principal").asString()).isEqualTo("ana");
        assertThat(definition.path("resolvedDependencies").get(0).path("uri").asString())
                .isEqualTo("cwom:ContextPacket/01JCP000000000000000000000@1");
        assertThat(statement.path("predicate").path("runDetails").path("builder").path("id").asString())
                .isEqualTo("urn:cwom:worker:worker-1");
    }

    @Test
    void aTamperedArtifactBodyFailsVerification() throws Exception {
        SigningKeys.SigningKey key = SigningKeys.loadOrCreate(dir.resolve("provenance.key"));
        byte[] envelope = attestation().sign(key).toJson();
        blobs.put(Digests.sha256(PATCH), "diff --git a/x b/x\n+evil\n".getBytes(StandardCharsets.UTF_8));

        AttestationVerifier.Verdict verdict = AttestationVerifier.verify(envelope, keysOf(key), bodies);

        assertThat(verdict.valid()).isFalse();
        assertThat(verdict.keyId()).isEqualTo(key.keyId());
        assertThat(verdict.problems()).singleElement().asString().contains("01JART00000000000000000001", "has digest");
    }

    @Test
    void aMissingArtifactBodyFailsVerification() throws Exception {
        SigningKeys.SigningKey key = SigningKeys.loadOrCreate(dir.resolve("provenance.key"));
        byte[] envelope = attestation().sign(key).toJson();
        blobs.remove(Digests.sha256(TRACE));

        AttestationVerifier.Verdict verdict = AttestationVerifier.verify(envelope, keysOf(key), bodies);

        assertThat(verdict.problems()).singleElement().asString().contains("no body");
    }

    @Test
    void aTamperedPayloadFailsVerification() throws Exception {
        SigningKeys.SigningKey key = SigningKeys.loadOrCreate(dir.resolve("provenance.key"));
        ObjectNode envelope = (ObjectNode) CwomJson.mapper().readTree(attestation().sign(key).toJson());
        String statement = new String(Base64.getDecoder().decode(envelope.path("payload").asString()),
                StandardCharsets.UTF_8);
        envelope.put("payload", Base64.getEncoder().encodeToString(statement.replace("\"ana\"", "\"eve\"")
                .getBytes(StandardCharsets.UTF_8)));

        AttestationVerifier.Verdict verdict = AttestationVerifier.verify(
                CwomJson.mapper().writeValueAsBytes(envelope), keysOf(key), bodies);

        assertThat(verdict.valid()).isFalse();
        assertThat(verdict.keyId()).isNull();
        assertThat(verdict.problems()).anySatisfy(p -> assertThat(p).startsWith("no signature verifies"));
    }

    @Test
    void aChangedPayloadTypeFailsVerification() throws Exception {
        SigningKeys.SigningKey key = SigningKeys.loadOrCreate(dir.resolve("provenance.key"));
        ObjectNode envelope = (ObjectNode) CwomJson.mapper().readTree(attestation().sign(key).toJson());
        envelope.put("payloadType", "application/json");

        AttestationVerifier.Verdict verdict = AttestationVerifier.verify(
                CwomJson.mapper().writeValueAsBytes(envelope), keysOf(key), bodies);

        // the payload type is inside the PAE, so the signature no longer verifies either
        assertThat(verdict.keyId()).isNull();
        assertThat(verdict.problems()).hasSize(2);
    }

    @Test
    void anotherKeyFailsVerification() throws Exception {
        SigningKeys.SigningKey signer = SigningKeys.loadOrCreate(dir.resolve("provenance.key"));
        SigningKeys.SigningKey other = SigningKeys.loadOrCreate(dir.resolve("other.key"));
        byte[] envelope = attestation().sign(signer).toJson();

        AttestationVerifier.Verdict verdict = AttestationVerifier.verify(envelope, keysOf(other), bodies);
        // the other public key under the signer's key id: the id is a label, the signature decides
        AttestationVerifier.Verdict forged = AttestationVerifier.verify(envelope,
                Map.of(signer.keyId(), other.publicKey()), bodies);

        assertThat(verdict.valid()).isFalse();
        assertThat(verdict.problems()).singleElement().asString().startsWith("no signature verifies");
        assertThat(forged.valid()).isFalse();
    }

    @Test
    void keysAreWrittenOwnerOnlyLoadedBackAndIdentifiedByTheirPublicKey() throws Exception {
        Path file = dir.resolve("keys/provenance.key");
        SigningKeys.SigningKey created = SigningKeys.loadOrCreate(file);
        SigningKeys.SigningKey loaded = SigningKeys.loadOrCreate(file);

        assertThat(loaded.keyId()).isEqualTo(created.keyId()).startsWith("sha256:");
        assertThat(Files.getPosixFilePermissions(file)).hasToString("[OWNER_READ, OWNER_WRITE]");
        String publicPem = Files.readString(dir.resolve("keys/provenance.key.pub"));
        assertThat(SigningKeys.keyId(SigningKeys.parsePublicKey(publicPem))).isEqualTo(created.keyId());
        assertThat(SigningKeys.publicPem(loaded.publicKey())).isEqualTo(publicPem);
    }

    @Test
    void paeIsDsseV1() {
        assertThat(new String(Dsse.pae("http://example.com/HelloWorld", "hello world".getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8)).isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
    }

}
