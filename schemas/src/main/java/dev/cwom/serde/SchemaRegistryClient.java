package dev.cwom.serde;

import org.apache.avro.Schema;

/**
 * What the serde asks a Confluent-protocol schema registry. Implementations throw
 * {@link RegistryUnavailableException} when the registry cannot be reached and {@link SchemaRegistryException} when
 * it refuses; they are thread-safe. Get one with {@link SchemaRegistryClients#create(AvroSerdeConfig)}.
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /** Registers {@code schema} under {@code subject} (or finds it there) and answers its global id. */
    int register(String subject, Schema schema);

    /** The id of {@code schema} already registered under {@code subject}; 40401 / 40403 otherwise. */
    int lookupId(String subject, Schema schema);

    /** The schema with global id {@code id}; 40403 when there is none. */
    Schema schemaById(int id);

    /** The newest version of {@code subject}; 40401 when the subject has none. */
    SubjectVersion latest(String subject);

    /** Releases connections and threads; the default has none. */
    @Override
    default void close() {
    }

    /** A version of a subject as the registry answers it. */
    record SubjectVersion(String subject, int version, int id, Schema schema) {
    }
}
