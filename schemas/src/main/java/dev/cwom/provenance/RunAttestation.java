package dev.cwom.provenance;

import dev.cwom.json.CanonicalJson;
import dev.cwom.json.Digests;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What an attestation says about one finished Run, and its in-toto Statement v1 with a SLSA Provenance v1 predicate.
 * The statement holds nothing but these facts (no signing time): the same Run always gives the same bytes, and
 * with Ed25519 the same envelope, so an attestation made twice is one blob and one Artifact.
 *
 * @param runId the Run (the SLSA {@code invocationId})
 * @param issueId its Issue
 * @param repoId its Issue's Repo
 * @param status how it ended: {@code done}, {@code failed} or {@code canceled}
 * @param workerId the worker that ran it (the SLSA builder)
 * @param workerVersion that worker's software version, {@code unknown} when it did not say
 * @param executor the executor's name (actor id), when the Run started
 * @param runtime the executor's runtime, when known
 * @param policyVersion the operator policy version pinned for it, when it had one
 * @param principal who asked for it ({@code requested_by}), when recorded
 * @param startedOn when it started
 * @param finishedOn when it ended
 * @param subjects its artifacts with their bodies' digests
 * @param dependencies its pinned inputs
 */
public record RunAttestation(String runId, String issueId, String repoId, String status, @Nullable String workerId,
        String workerVersion, @Nullable String executor, @Nullable String runtime, @Nullable String policyVersion,
        @Nullable String principal, @Nullable Instant startedOn, @Nullable Instant finishedOn,
        List<Subject> subjects, List<Dependency> dependencies) {

    public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
    public static final String PREDICATE_TYPE = "https://slsa.dev/provenance/v1";
    /** The SLSA buildType: a CWOM Run; its parameters are described in docs/provenance.md, "Attestations". */
    public static final String BUILD_TYPE = "urn:cwom:build-type:run:v1";

    public RunAttestation {
        subjects = List.copyOf(subjects);
        dependencies = List.copyOf(dependencies);
    }

    /** An artifact of the Run: its id, type, media type, uri and the {@code sha256:<hex>} digest of its body. */
    public record Subject(String artifactId, String type, @Nullable String mediaType, String uri, String digest) {
    }

    /** A pinned input: kind, id, version and the {@code sha256:<hex>} of its canonical JSON. */
    public record Dependency(String kind, String id, @Nullable String version, String digest) {
    }

    /** The in-toto Statement as canonical JSON (RFC 8785): the DSSE payload. */
    public byte[] statement() {
        Map<String, Object> external = new LinkedHashMap<>();
        external.put("run_id", runId);
        external.put("issue_id", issueId);
        external.put("repo_id", repoId);
        put(external, "executor", executor);
        put(external, "policy_version", policyVersion);
        put(external, "principal", principal);
        Map<String, Object> builderVersion = new LinkedHashMap<>();
        builderVersion.put("cwom-worker", workerVersion);
        put(builderVersion, "runtime", runtime);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("invocationId", runId);
        put(metadata, "startedOn", startedOn == null ? null : startedOn.toString());
        put(metadata, "finishedOn", finishedOn == null ? null : finishedOn.toString());
        Map<String, Object> predicate = Map.of(
                "buildDefinition", Map.of(
                        "buildType", BUILD_TYPE,
                        "externalParameters", external,
                        "internalParameters", Map.of("status", status),
                        "resolvedDependencies", dependencies.stream().map(RunAttestation::dependency).toList()),
                "runDetails", Map.of(
                        "builder", Map.of("id", "urn:cwom:worker:" + (workerId == null ? "unknown" : workerId),
                                "version", builderVersion),
                        "metadata", metadata));
        return CanonicalJson.writeBytes(Map.of(
                "_type", STATEMENT_TYPE,
                "subject", subjects.stream().map(RunAttestation::subject).toList(),
                "predicateType", PREDICATE_TYPE,
                "predicate", predicate));
    }

    /** Signs the statement in a DSSE envelope. */
    public Dsse.Envelope sign(SigningKeys.SigningKey key) {
        return Dsse.sign(Dsse.IN_TOTO_PAYLOAD_TYPE, statement(), key);
    }

    private static Map<String, Object> subject(Subject s) {
        Map<String, Object> annotations = new LinkedHashMap<>();
        annotations.put("artifact_id", s.artifactId());
        annotations.put("type", s.type());
        put(annotations, "media_type", s.mediaType());
        annotations.put("uri", s.uri());
        return Map.of("name", "cwom:Artifact/" + s.artifactId(), "digest", Map.of("sha256", Digests.hex(s.digest())),
                "annotations", annotations);
    }

    private static Map<String, Object> dependency(Dependency d) {
        Map<String, Object> annotations = new LinkedHashMap<>();
        annotations.put("kind", d.kind());
        annotations.put("id", d.id());
        put(annotations, "version", d.version());
        return Map.of("uri", "cwom:" + d.kind() + "/" + d.id() + (d.version() == null ? "" : "@" + d.version()),
                "digest", Map.of("sha256", Digests.hex(d.digest())), "annotations", annotations);
    }

    private static void put(Map<String, Object> map, String key, @Nullable Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
