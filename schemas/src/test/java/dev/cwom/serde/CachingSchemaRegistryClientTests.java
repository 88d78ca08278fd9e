package dev.cwom.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cwom.events.RunEvent;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class CachingSchemaRegistryClientTests {

    private final AtomicInteger calls = new AtomicInteger();
    private final SchemaRegistryClient inner = MockSchemaRegistry.clientForScope("caching-tests");
    private final SchemaRegistryClient counting = new SchemaRegistryClient() {
        @Override
        public int register(String subject, Schema schema) {
            calls.incrementAndGet();
            return inner.register(subject, schema);
        }

        @Override
        public int lookupId(String subject, Schema schema) {
            calls.incrementAndGet();
            return inner.lookupId(subject, schema);
        }

        @Override
        public Schema schemaById(int id) {
            calls.incrementAndGet();
            return inner.schemaById(id);
        }

        @Override
        public SubjectVersion latest(String subject) {
            calls.incrementAndGet();
            return inner.latest(subject);
        }
    };

    @Test
    void asksTheRegistryOncePerSchemaInBothDirections() {
        CachingSchemaRegistryClient cache = new CachingSchemaRegistryClient(counting, null);

        int id = cache.register("runs-value", RunEvent.getClassSchema());
        assertThat(cache.register("runs-value", RunEvent.getClassSchema())).isEqualTo(id);
        assertThat(cache.lookupId("runs-value", RunEvent.getClassSchema())).isEqualTo(id);
        assertThat(cache.schemaById(id)).isEqualTo(RunEvent.getClassSchema());

        assertThat(calls).hasValue(1);

        CachingSchemaRegistryClient reader = new CachingSchemaRegistryClient(counting, null);
        reader.schemaById(id);
        reader.schemaById(id);
        assertThat(calls).hasValue(2);
    }

    @Test
    void doesNotCacheFailuresAndRefreshesLatestAfterItsTtl() {
        CachingSchemaRegistryClient cache = new CachingSchemaRegistryClient(counting, Duration.ZERO);

        assertThatThrownBy(() -> cache.schemaById(424242)).isInstanceOf(SchemaRegistryException.class);
        assertThatThrownBy(() -> cache.schemaById(424242)).isInstanceOf(SchemaRegistryException.class);
        assertThat(calls).hasValue(2);

        inner.register("latest-value", RunEvent.getClassSchema());
        cache.latest("latest-value");
        cache.latest("latest-value");
        assertThat(calls).hasValue(4);
    }
}
