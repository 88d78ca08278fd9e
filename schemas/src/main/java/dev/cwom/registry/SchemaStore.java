package dev.cwom.registry;

import java.util.List;

/** Where the registry keeps its changes so that ids and versions survive a restart. */
public interface SchemaStore extends AutoCloseable {

    /** Every change so far, oldest first. */
    List<StoreRecord> readAll();

    /** Makes {@code change} durable before returning; throws when it could not. */
    void append(StoreRecord change);

    @Override
    default void close() {
    }

    /** A store that forgets everything with the JVM: for unit tests and {@code mock://} registries. */
    static SchemaStore inMemory() {
        return new SchemaStore() {
            @Override
            public List<StoreRecord> readAll() {
                return List.of();
            }

            @Override
            public void append(StoreRecord change) {
            }
        };
    }
}
