package dev.cwom.serde;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A small least-recently-used cache: at most {@code capacity} entries, the least recently used dropped first. A
 * value is loaded outside the lock (a registry call may take seconds), so two threads may load the same key once
 * each; the values of this package are immutable and equal, so either is kept.
 */
final class BoundedCache<K, V> {

    private final int capacity;
    private final Map<K, V> entries;

    BoundedCache(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > BoundedCache.this.capacity;
            }
        };
    }

    V get(K key, Function<K, V> load) {
        synchronized (entries) {
            V cached = entries.get(key);
            if (cached != null) {
                return cached;
            }
        }
        V loaded = load.apply(key);
        synchronized (entries) {
            V raced = entries.putIfAbsent(key, loaded);
            return raced != null ? raced : loaded;
        }
    }

    void putIfAbsent(K key, V value) {
        synchronized (entries) {
            entries.putIfAbsent(key, value);
        }
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
