package dev.cwom.serde;

import dev.cwom.registry.RegistryError;
import dev.cwom.registry.SchemaRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.avro.Schema;

/**
 * In-memory registries for {@code schema.registry.url=mock://<scope>}, as Confluent's serde offers: every serializer
 * and deserializer in the JVM configured with the same scope shares one registry, with the same rules as the real
 * server (ids, versions, BACKWARD compatibility). Tests use a scope of their own, or {@link #dropScope} it.
 */
public final class MockSchemaRegistry {

    private static final Map<String, SchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private MockSchemaRegistry() {
    }

    /** The client of scope {@code scope}'s registry, created empty on first use. */
    public static SchemaRegistryClient clientForScope(String scope) {
        return new Client(SCOPES.computeIfAbsent(scope, s -> SchemaRegistry.inMemory()));
    }

    /** Forgets scope {@code scope}: the next use starts empty. */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }

    static String scopeOf(String mockUrl) {
        return mockUrl.substring("mock://".length());
    }

    private record Client(SchemaRegistry registry) implements SchemaRegistryClient {

        @Override
        public int register(String subject, Schema schema) {
            return call(() -> registry.register(subject, schema.toString()).id());
        }

        @Override
        public int lookupId(String subject, Schema schema) {
            return call(() -> registry.lookup(subject, schema.toString()).id());
        }

        @Override
        public Schema schemaById(int id) {
            return call(() -> registry.schemaById(id).schema());
        }

        @Override
        public SubjectVersion latest(String subject) {
            return call(() -> {
                var v = registry.version(subject, "latest");
                return new SubjectVersion(v.subject(), v.version(), v.id(), v.schema());
            });
        }

        private static <T> T call(Supplier<T> request) {
            try {
                return request.get();
            } catch (RegistryError e) {
                throw new SchemaRegistryException(e.httpStatus(), e.errorCode(), e.getMessage());
            }
        }
    }
}
