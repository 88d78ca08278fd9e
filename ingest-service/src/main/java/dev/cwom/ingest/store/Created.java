package dev.cwom.ingest.store;

/**
 * The answer to a create: the stored object, and whether this request created it (201) or found the same
 * content already stored under the same id (200).
 */
public record Created<T>(T object, boolean created) {
}
