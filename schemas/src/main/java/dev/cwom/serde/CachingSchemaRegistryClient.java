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

    private final SchemaRegistryClient delegate;
    private final @Nullable Duration latestTtl;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
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
        return schemasById.computeIfAbsent(id, delegate::schemaById);
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
