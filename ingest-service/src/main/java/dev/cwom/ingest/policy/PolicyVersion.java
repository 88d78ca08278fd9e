package dev.cwom.ingest.policy;

import dev.cwom.json.CanonicalJson;
import dev.cwom.json.Digests;
import dev.cwom.model.DoctrineRef;
import dev.cwom.policy.OperatorPolicy;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One stored version of the operator's policy.
 *
 * @param doctrine the DoctrineRef that carries it
 * @param policy the document
 */
public record PolicyVersion(DoctrineRef doctrine, OperatorPolicy policy) {

    /** The DoctrineRef's id: what a work order pins. */
    public String id() {
        return Objects.requireNonNull(doctrine.id());
    }

    /** The version, "1", "2", ... */
    public String version() {
        return doctrine.version();
    }

    /** The sha256 of the DoctrineRef's canonical JSON, as a work order pins it. */
    public String digest() {
        return Digests.sha256(CanonicalJson.write(doctrine).getBytes(StandardCharsets.UTF_8));
    }

    /** How messages name it: "the operator policy v3". */
    public String label() {
        return "the operator policy v" + version();
    }
}
