package dev.cwom.artifacts.sink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The sink as an operator watches it, counted after each database commit:
 *
 * <ul>
 *   <li>{@code cwom_sink_events_stored_total}: run and artifact events stored;</li>
 *   <li>{@code cwom_sink_batch_size}: events per database transaction (up to {@code cwom.artifact.sink.max-batch};
 *       small batches under load mean the sink keeps up, full ones that it is behind);</li>
 *   <li>{@code cwom_sink_lag_seconds}: from each record's Kafka timestamp (when the worker published it) to its
 *       commit here, a histogram; the same lag in records is the consumer's
 *       {@code kafka_consumer_fetch_manager_records_lag{group="cwom-artifact-sink"}}.</li>
 * </ul>
 */
final class SinkMetrics {

    static final String STORED = "cwom.sink.events.stored";
    static final String BATCH_SIZE = "cwom.sink.batch.size";
    static final String LAG = "cwom.sink.lag";

    private final Clock clock;
    private final Counter stored;
    private final DistributionSummary batchSize;
    private final Timer lag;

    SinkMetrics(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        stored = Counter.builder(STORED).description("run and artifact events stored").register(registry);
        batchSize = DistributionSummary.builder(BATCH_SIZE).description("events per sink transaction")
                .publishPercentileHistogram().maximumExpectedValue(10_000.0).register(registry);
        lag = Timer.builder(LAG).description("from an event's publication to its storage")
                .publishPercentileHistogram().maximumExpectedValue(Duration.ofHours(1)).register(registry);
    }

    /** The first {@code count} of {@code records} were committed in one transaction. */
    void stored(List<? extends ConsumerRecord<?, ?>> records, int count) {
        if (count <= 0) {
            return;
        }
        long now = clock.millis();
        stored.increment(count);
        batchSize.record(count);
        for (int i = 0; i < count; i++) {
            lag.record(Duration.ofMillis(Math.max(0, now - records.get(i).timestamp())));
        }
    }
}
