package dev.cwom.registry;

import org.jspecify.annotations.Nullable;

/**
 * A change to the registry, as written to its store and replayed at start. Each is one record of Confluent's
 * {@code _schemas} format (see {@link KafkaSchemaStore}), so deletions and modes written by one instance are what
 * every instance and every restart replays.
 */
public sealed interface StoreRecord {

    /**
     * Version {@code version} of {@code subject} is the schema {@code schema} with global id {@code id};
     * {@code deleted} when that version was soft-deleted (Confluent rewrites the version's record with
     * {@code "deleted": true}).
     */
    record SchemaRegistered(String subject, int version, int id, String schema, boolean deleted)
            implements StoreRecord {

        /** A live version. */
        public SchemaRegistered(String subject, int version, int id, String schema) {
            this(subject, version, id, schema, false);
        }
    }

    /** Every version of {@code subject} up to {@code upToVersion} is soft-deleted (Confluent's DELETE_SUBJECT). */
    record SubjectDeleted(String subject, int upToVersion) implements StoreRecord {
    }

    /** Version {@code version} of {@code subject} is gone for good (a tombstone on the version's key). */
    record VersionPurged(String subject, int version) implements StoreRecord {
    }

    /** The compatibility level of {@code subject}, or the global one when {@code subject} is null. */
    record CompatibilitySet(@Nullable String subject, CompatibilityLevel level) implements StoreRecord {
    }

    /** {@code subject} no longer has a level of its own (a tombstone on its CONFIG key). */
    record CompatibilityCleared(String subject) implements StoreRecord {
    }

    /** The mode of {@code subject}, or the global one when {@code subject} is null. */
    record ModeSet(@Nullable String subject, RegistryMode mode) implements StoreRecord {
    }

    /** {@code subject} no longer has a mode of its own (a tombstone on its MODE key). */
    record ModeCleared(String subject) implements StoreRecord {
    }
}
