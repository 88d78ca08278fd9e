package dev.cwom.provenance;

import dev.cwom.json.CwomJson;
import dev.cwom.json.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Checks an attestation: the DSSE signature by one of the operator's public keys, that the payload is an in-toto
 * Statement v1 with a SLSA Provenance v1 predicate, and that every subject's body, fetched again, still has the
 * digest the statement names. Every problem found is listed, not only the first; the attestation holds only when
 * there is none.
 */
public final class AttestationVerifier {

    private AttestationVerifier() {
    }

    /** Where the bodies of the subjects come from (the blob store, or its HTTP API). */
    @FunctionalInterface
    public interface Bodies {
        /** The body of the artifact at {@code uri} with digest {@code digest}; empty when it cannot be found. */
        Optional<InputStream> open(String uri, String digest) throws IOException;
    }

    /** One subject: its artifact id, the digest the statement names and the digest its body has now (null: missing). */
    public record SubjectCheck(String artifactId, String expected, @Nullable String actual) {
        public boolean holds() {
            return expected.equals(actual);
        }
    }

    /**
     * The outcome.
     *
     * @param keyId the key whose signature verified; null when none did
     * @param runId the statement's run ({@code invocationId}); null when unreadable
     * @param subjects each subject's check
     * @param problems what is wrong; empty when the attestation holds
     */
    public record Verdict(@Nullable String keyId, @Nullable String runId, List<SubjectCheck> subjects,
            List<String> problems) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    /** Verifies the envelope {@code envelopeJson} against {@code keys} (key id to public key). */
    public static Verdict verify(byte[] envelopeJson, Map<String, PublicKey> keys, Bodies bodies) {
        List<String> problems = new ArrayList<>();
        Dsse.Envelope envelope;
        try {
            envelope = Dsse.Envelope.parse(envelopeJson);
        } catch (IllegalArgumentException e) {
            return new Verdict(null, null, List.of(), List.of(e.getMessage()));
        }
        String keyId = Dsse.verifiedBy(envelope, keys).orElse(null);
        if (keyId == null) {
            problems.add("no signature verifies with the known keys " + keys.keySet() + " (signed by "
                    + envelope.signatures().stream().map(Dsse.EnvelopeSignature::keyId).toList() + ")");
        }
        if (!Dsse.IN_TOTO_PAYLOAD_TYPE.equals(envelope.payloadType())) {
            problems.add("payloadType is " + envelope.payloadType() + ", not " + Dsse.IN_TOTO_PAYLOAD_TYPE);
        }
        JsonNode statement;
        try {
            statement = CwomJson.mapper().readTree(envelope.payloadBytes());
        } catch (RuntimeException e) {
            problems.add("the payload is not JSON: " + e.getMessage());
            return new Verdict(keyId, null, List.of(), List.copyOf(problems));
        }
        if (!RunAttestation.STATEMENT_TYPE.equals(statement.path("_type").asString(""))) {
            problems.add("_type is not " + RunAttestation.STATEMENT_TYPE);
        }
        if (!RunAttestation.PREDICATE_TYPE.equals(statement.path("predicateType").asString(""))) {
            problems.add("predicateType is not " + RunAttestation.PREDICATE_TYPE);
        }
        String runId = statement.path("predicate").path("runDetails").path("metadata").path("invocationId")
                .asString(null);
        List<SubjectCheck> checks = new ArrayList<>();
        for (JsonNode subject : statement.path("subject")) {
            checks.add(check(subject, bodies, problems));
        }
        return new Verdict(keyId, runId, List.copyOf(checks), List.copyOf(problems));
    }

    private static SubjectCheck check(JsonNode subject, Bodies bodies, List<String> problems) {
        String artifactId = subject.path("annotations").path("artifact_id").asString(subject.path("name").asString(""));
        String uri = subject.path("annotations").path("uri").asString("");
        String expected = Digests.PREFIX + subject.path("digest").path("sha256").asString("");
        if (!Digests.isSha256(expected)) {
            problems.add("subject " + artifactId + " has no sha256 digest");
            return new SubjectCheck(artifactId, expected, null);
        }
        String actual = null;
        try {
            Optional<InputStream> body = bodies.open(uri, expected);
            if (body.isPresent()) {
                try (InputStream in = body.get()) {
                    actual = Digests.sha256(in);
                }
            }
        } catch (IOException | RuntimeException e) {
            problems.add("subject " + artifactId + ": its body at " + uri + " could not be read: " + e.getMessage());
            return new SubjectCheck(artifactId, expected, null);
        }
        if (actual == null) {
            problems.add("subject " + artifactId + ": no body at " + uri);
        } else if (!actual.equals(expected)) {
            problems.add("subject " + artifactId + ": its body at " + uri + " has digest " + actual + ", the"
                    + " attestation says " + expected);
        }
        return new SubjectCheck(artifactId, expected, actual);
    }
}
