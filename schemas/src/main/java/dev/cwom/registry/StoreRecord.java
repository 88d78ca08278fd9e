package dev.cwom.registry;

import org.jspecify.annotations.Nullable;

/** A change to the registry, as written to its store and replayed at start. */
public sealed interface StoreRecord {

    /** Version {@code version} of {@code subject} is the schema {@code schema} with global id {@code id}. */
    record SchemaRegistered(String subject, int version, int id, String schema) implements StoreRecord {
    }

    /** The compatibility level of {@code subject}, or the global one when {@code subject} is null. */
    record CompatibilitySet(@Nullable String subject, CompatibilityLevel level) implements StoreRecord {
    }
}
