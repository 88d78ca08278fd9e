package dev.cwom.artifacts.provenance;

import com.github.f4b6a3.ulid.Ulid;
import dev.cwom.artifacts.blobs.BlobStore;
import dev.cwom.artifacts.sink.ArtifactVerifier;
import dev.cwom.artifacts.sink.SinkEvent;
import dev.cwom.events.ArtifactCreated;
import dev.cwom.events.RunEventMapping;
import dev.cwom.json.Digests;
import dev.cwom.model.ArtifactType;
import dev.cwom.model.Ref;
import dev.cwom.provenance.Dsse;
import dev.cwom.provenance.RunAttestation;
import dev.cwom.provenance.SigningKeys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Makes a finished Run's attestation: the statement from what is stored (its artifacts with a digest the sink did
 * not find wrong, its pinned inputs, the worker, policy version and principal), signed with the operator's key,
 * stored as a blob, and announced as an Artifact of the Run (type {@code report}, media type
 * {@code application/vnd.in-toto+json}).
 *
 * <p>The Artifact's id and event id are derived from the run id, and the envelope's bytes from the stored facts
 * alone (Ed25519 signatures are deterministic): an attestation made again after a crash is the same blob and the
 * same Artifact, which the sink stores once.
 */
final class Attestations {

    static final String TITLE = "Signed provenance (in-toto SLSA v1, DSSE)";

    private final SigningKeys.SigningKey key;
    private final BlobStore store;
    private final ArtifactVerifier verifier;
    private final String blobBase;

    /** @param publicBaseUrl the address clients reach artifact-service at, for the Artifact's uri */
    Attestations(SigningKeys.SigningKey key, BlobStore store, ArtifactVerifier verifier, URI publicBaseUrl) {
        this.key = key;
        this.store = store;
        this.verifier = verifier;
        this.blobBase = publicBaseUrl.toString().replaceAll("/+$", "") + "/blobs/";
    }

    String keyId() {
        return key.keyId();
    }

    /**
     * The attestation Artifact's id: a ULID with the run's time (48 bits) and 80 bits of
     * sha256("attestation:" + run id), so that it sorts with the run and is the same whenever it is made.
     */
    static String attestationId(String runId) {
        byte[] hash = Digests.newSha256().digest(("attestation:" + runId).getBytes(StandardCharsets.UTF_8));
        long random = 0;
        for (int i = 0; i < 8; i++) {
            random = (random << 8) | (hash[i] & 0xff);
        }
        Ulid run = Ulid.from(runId);
        long high = (run.getMostSignificantBits() & 0xFFFF_FFFF_FFFF_0000L) | ((hash[8] & 0xffL) << 8) | (hash[9] & 0xffL);
        return new Ulid(high, random).toString();
    }

    /** Signs and stores the attestation of {@code run}; answers the sink event announcing it. */
    SinkEvent.ArtifactReceived attest(ProvenanceRun run, Instant now) {
        RunAttestation attestation = attestation(run);
        byte[] envelope = attestation.sign(key).toJson();
        String digest = Digests.sha256(envelope);
        try {
            store.put(new ByteArrayInputStream(envelope), envelope.length, Dsse.IN_TOTO_PAYLOAD_TYPE, null);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store the attestation of run " + run.runId(), e);
        }
        String uri = blobBase + digest;
        String id = attestationId(run.runId());
        ArtifactCreated created = RunEventMapping.artifactCreated(id, run.runId(), run.issueId(), run.repoId(),
                ArtifactType.REPORT, TITLE, uri, digest, Dsse.IN_TOTO_PAYLOAD_TYPE, (long) envelope.length,
                "signed by " + key.keyId() + ", " + attestation.subjects().size() + " subject(s)", now);
        created.setEventId(id);
        ArtifactVerifier.Verdict verdict = verifier.verify(uri, digest);
        return new SinkEvent.ArtifactReceived(0, created, verdict.verification(), verdict.note());
    }

    static RunAttestation attestation(ProvenanceRun run) {
        List<RunAttestation.Subject> subjects = run.artifacts().stream()
                .filter(a -> a.digest() != null && !"failed".equals(a.verification()))
                .filter(a -> !Dsse.IN_TOTO_PAYLOAD_TYPE.equals(a.mediaType()))
                .map(a -> new RunAttestation.Subject(a.id(), a.type(), a.mediaType(), a.uri(), a.digest()))
                .toList();
        List<RunAttestation.Dependency> dependencies = run.pinned().stream()
                .map(Attestations::dependency).toList();
        return new RunAttestation(run.runId(), run.issueId(), run.repoId(), run.status(), run.workerId(),
                workerVersion(run), run.executorName(), run.executor() == null ? null : run.executor().runtime(),
                run.policyVersion(), run.requestedBy(), run.telemetry().startedAt(), run.endedAt(), subjects,
                dependencies);
    }

    private static RunAttestation.Dependency dependency(Ref ref) {
        return new RunAttestation.Dependency(ref.kind(), ref.id(), ref.version(), java.util.Objects.requireNonNull(
                ref.digest()));
    }

    /** The {@code cwom-worker/<version>} entry of the executor's toolchain, which workers put there. */
    private static String workerVersion(ProvenanceRun run) {
        @Nullable String found = run.executor() == null ? null : run.executor().toolchain().stream()
                .filter(t -> t.startsWith("cwom-worker/")).map(t -> t.substring("cwom-worker/".length()))
                .findFirst().orElse(null);
        return found == null ? "unknown" : found;
    }
}
