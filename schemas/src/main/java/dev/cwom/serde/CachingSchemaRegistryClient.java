package dev.cwom.serde;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.jspecify.annotations.Nullable;

/**
 * Caches what never changes in a registry: id to schema, and (subject, schema) to id, so that a serializer or
 * deserializer asks the registry once per schema and not once per record. The latest version of a subject does
 * change; it is kept for {@code latestTtl} (forever when null). Only successful answers are cached.
 */
final class CachingSchemaRegistryClient implements SchemaRegistryClient {

    /** Schemas kept by id; far more than the versions a pipeline's topics hold. */
    static final int SCHEMAS_BY_ID_CACHE_SIZE = 1024;

    private final SchemaRegistryClient delegate;
    private final @Nullable Duration latestTtl;
    /** Ids come from records, which anyone can write: kept for the most recently used ids only. */
    private final BoundedCache<Integer, Schema> schemasById = new BoundedCache<>(SCHEMAS_BY_ID_CACHE_SIZE);
    private final Map<SubjectSchema, Integer> registered = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> lookedUp = new ConcurrentHashMap<>();
    private final Map<String, Timed> latest = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, Schema schema) {
    }

    private record Timed(SubjectVersion version, long fetchedAtNanos) {
    }

    CachingSchemaRegistryClient(SchemaRegistryClient delegate, @Nullable Duration latestTtl) {
        this.delegate = delegate;
        this.latestTtl = latestTtl;
    }

    @Override
    public int register(String subject, Schema schema) {
        return registered.computeIfAbsent(new SubjectSchema(subject, schema), k -> {
            int id = delegate.register(subject, schema);
            schemasById.putIfAbsent(id, schema);
            return id;
        });
    }

    @Override
    public int lookupId(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer known = registered.get(key);
        return known != null ? known : lookedUp.computeIfAbsent(key, k -> delegate.lookupId(subject, schema));
    }

    @Override
    public Schema schemaById(int id) {
        return schemasById.get(id, delegate::schemaById);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public SubjectVersion latest(String subject) {
        Timed cached = latest.get(subject);
        long now = System.nanoTime();
        if (cached != null && (latestTtl == null || now - cached.fetchedAtNanos() < latestTtl.toNanos())) {
            return cached.version();
        }
        SubjectVersion fresh = delegate.latest(subject);
        latest.put(subject, new Timed(fresh, now));
        schemasById.putIfAbsent(fresh.id(), fresh.schema());
        return fresh;
    }
}
