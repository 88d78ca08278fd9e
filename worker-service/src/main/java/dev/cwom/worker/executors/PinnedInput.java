package dev.cwom.worker.executors;

import dev.cwom.model.Ref;
import org.jspecify.annotations.Nullable;

/**
 * One input of a work order as it arrives: a CWOM object's canonical JSON with the digest the producer computed on
 * it. {@link ExecutionRequest#of} checks the digest before anything is parsed or executed.
 *
 * @param kind {@code Repo}, {@code Issue}, {@code ContextPacket}, {@code ConstraintSnapshot} or {@code DoctrineRef}
 * @param id the object's ULID
 * @param version the object's version where it has one (ContextPacket, DoctrineRef)
 * @param digest {@code sha256:<hex>} of {@code canonicalJson}'s UTF-8 bytes
 * @param canonicalJson the object as canonical JSON
 */
public record PinnedInput(String kind, String id, @Nullable String version, String digest, String canonicalJson) {

    /** The pinned reference a Run records for this input. */
    public Ref ref() {
        return Ref.pinned(kind, id, version, digest);
    }
}
