package dev.cwom.provenance;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cwom.json.CanonicalJson;
import dev.cwom.json.CwomJson;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * DSSE (Dead Simple Signing Envelope, github.com/secure-systems-lab/dsse, protocol v1): the signature covers the
 * pre-authentication encoding {@code PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body}, with
 * lengths as ASCII decimal byte counts, never the JSON around it; so re-encoding the envelope cannot change what
 * was signed, and the payload type is signed too.
 */
public final class Dsse {

    /** The in-toto payload type, also the media type of an attestation Artifact. */
    public static final String IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

    private Dsse() {
    }

    /** One signature: the signing key's id ({@link SigningKeys#keyId}) and the base64 signature over the PAE. */
    public record EnvelopeSignature(@JsonProperty("keyid") String keyId, @JsonProperty("sig") String sig) {
    }

    /** The envelope as JSON: {@code payloadType}, {@code payload} (base64) and {@code signatures}. */
    public record Envelope(@JsonProperty("payloadType") String payloadType, @JsonProperty("payload") String payload,
            @JsonProperty("signatures") List<EnvelopeSignature> signatures) {

        public Envelope {
            signatures = List.copyOf(signatures);
        }

        /** The payload's bytes (decoded from base64). */
        public byte[] payloadBytes() {
            return Base64.getDecoder().decode(payload);
        }

        /** The envelope as canonical JSON bytes: the same envelope always makes the same Artifact body. */
        public byte[] toJson() {
            return CanonicalJson.writeBytes(Map.of("payloadType", payloadType, "payload", payload, "signatures",
                    signatures.stream().map(s -> Map.of("keyid", s.keyId(), "sig", s.sig())).toList()));
        }

        /** Reads an envelope; a body that is not one is an {@link IllegalArgumentException}. */
        public static Envelope parse(byte[] json) {
            try {
                Envelope envelope = CwomJson.mapper().readValue(json, Envelope.class);
                if (envelope.payloadType() == null || envelope.payload() == null) {
                    throw new IllegalArgumentException("a DSSE envelope needs payloadType and payload");
                }
                return envelope;
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("Not a DSSE envelope: " + e.getMessage(), e);
            }
        }
    }

    /** {@code PAE(type, body)} of DSSE v1. */
    public static byte[] pae(String payloadType, byte[] payload) {
        byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + type.length + 32);
        out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(type);
        out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /** Signs {@code payload} with {@code key} (Ed25519 is deterministic: the same payload gives the same envelope). */
    public static Envelope sign(String payloadType, byte[] payload, SigningKeys.SigningKey key) {
        try {
            Signature signer = Signature.getInstance(SigningKeys.ALGORITHM);
            signer.initSign(key.privateKey());
            signer.update(pae(payloadType, payload));
            return new Envelope(payloadType, Base64.getEncoder().encodeToString(payload), List.of(
                    new EnvelopeSignature(key.keyId(), Base64.getEncoder().encodeToString(signer.sign()))));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Signing with " + key.keyId() + " failed", e);
        }
    }

    /**
     * The id of the first key among {@code keys} (key id to public key) whose signature in {@code envelope} verifies;
     * empty when none does. A signature naming an unknown key id is tried against no key.
     */
    public static Optional<String> verifiedBy(Envelope envelope, Map<String, PublicKey> keys) {
        byte[] pae;
        try {
            pae = pae(envelope.payloadType(), envelope.payloadBytes());
        } catch (IllegalArgumentException badBase64) {
            return Optional.empty();
        }
        for (EnvelopeSignature signature : envelope.signatures()) {
            PublicKey key = keys.get(signature.keyId());
            if (key != null && verifies(key, pae, signature.sig())) {
                return Optional.of(signature.keyId());
            }
        }
        return Optional.empty();
    }

    private static boolean verifies(PublicKey key, byte[] pae, String sig) {
        try {
            Signature verifier = Signature.getInstance(SigningKeys.ALGORITHM);
            verifier.initVerify(key);
            verifier.update(pae);
            return verifier.verify(Base64.getDecoder().decode(sig));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
