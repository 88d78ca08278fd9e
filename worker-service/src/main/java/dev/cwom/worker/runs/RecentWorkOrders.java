package dev.cwom.worker.runs;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The event ids of the last work orders this instance finished, oldest forgotten first. The outbox relay publishes
 * at least once, so the same work order (same {@code event_id}) can arrive again at a later offset; a remembered one
 * is skipped. Memory only and per instance: a duplicate that lands on another worker, arrives after a restart, or
 * after {@code capacity} newer work orders runs again, as one more attempt of its Issue.
 */
final class RecentWorkOrders {

    private final int capacity;
    private final Map<String, String> finished;

    RecentWorkOrders(int capacity) {
        this.capacity = capacity;
        this.finished = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > RecentWorkOrders.this.capacity;
            }
        };
    }

    /** Remembers that the work order {@code eventId} was finished by run {@code runId}. */
    void finished(String eventId, String runId) {
        if (capacity > 0) {
            finished.put(eventId, runId);
        }
    }

    /** The run that finished the work order {@code eventId}, or null when it is not remembered. */
    @Nullable String finishedBy(String eventId) {
        return finished.get(eventId);
    }
}
