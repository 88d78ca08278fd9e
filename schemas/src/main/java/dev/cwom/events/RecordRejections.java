package dev.cwom.events;

import dev.cwom.model.Ids;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

/**
 * The one mapping of a consumed record that cannot be accepted to its {@link RecordRejected}: original key, value
 * bytes and headers, source position, reason code, message and details. Consumers that read keys or values through a
 * deserializer pass the original bytes they kept; headers a client library added itself can be left out by name.
 */
public final class RecordRejections {

    private RecordRejections() {
    }

    /**
     * @param record        the consumed record (its topic, partition, offset and headers are used)
     * @param originalKey   the key's bytes as received, or null
     * @param originalValue the value's bytes as received, or null
     * @param dropHeaders   names of headers that are not the producer's (e.g. added by an error-handling
     *                      deserializer)
     */
    public static RecordRejected of(ConsumerRecord<?, ?> record, byte @Nullable [] originalKey,
            byte @Nullable [] originalValue, Set<String> dropHeaders, String reasonCode, String message,
            Map<String, String> details, Instant at) {
        List<Header> headers = new ArrayList<>();
        for (org.apache.kafka.common.header.Header h : record.headers()) {
            if (!dropHeaders.contains(h.key())) {
                headers.add(new Header(h.key(), h.value() == null ? null : ByteBuffer.wrap(h.value())));
            }
        }
        return RecordRejected.newBuilder()
                .setEventId(Ids.newUlid())
                .setOccurredAt(at)
                .setSourceTopic(record.topic())
                .setSourcePartition(record.partition())
                .setSourceOffset(record.offset())
                .setOriginalKey(originalKey == null ? null : ByteBuffer.wrap(originalKey))
                .setOriginalValue(originalValue == null ? null : ByteBuffer.wrap(originalValue))
                .setHeaders(headers)
                .setReasonCode(reasonCode)
                .setMessage(message)
                .setDetails(Map.copyOf(details))
                .build();
    }
}
