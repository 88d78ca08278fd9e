package dev.cwom.worker.executors;

import dev.cwom.model.CwomObject;
import dev.cwom.model.Ref;

/**
 * A parsed input whose content was checked against its digest.
 *
 * @param value the object
 * @param ref its pinned reference: kind, id, version and digest
 * @param canonicalJson the content as it arrived, whose SHA-256 is {@code ref}'s digest
 */
public record Pinned<T extends CwomObject>(T value, Ref ref, String canonicalJson) {
}
