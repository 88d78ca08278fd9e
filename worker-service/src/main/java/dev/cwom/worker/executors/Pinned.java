package dev.cwom.worker.executors;

import dev.cwom.model.CwomObject;
import dev.cwom.model.Ref;

/**
 * A parsed input whose content was checked against its digest.
 *
 * @param value the object
 * @param ref its pinned reference: kind, id, version and digest
 */
public record Pinned<T extends CwomObject>(T value, Ref ref) {
}
