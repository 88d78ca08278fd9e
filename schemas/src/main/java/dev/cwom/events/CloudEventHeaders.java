package dev.cwom.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * CloudEvents 1.0 attributes in binary mode (the Kafka protocol binding: {@code ce_*} headers, the Avro value left
 * as it is) for every event the pipeline writes, so generic tools can route and filter records without knowing our
 * schemas. The one mapping from an event to its attributes; {@link CloudEventsInterceptor} applies it to every record
 * a producer built by {@link dev.cwom.serde.AvroProducerConfig} sends. The table per topic is in docs/events.md.
 */
public final class CloudEventHeaders {

    public static final String SPECVERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    /** The binding's {@code datacontenttype}: Avro in the Confluent wire format (magic byte, schema id, binary). */
    public static final String CONTENT_TYPE = "content-type";
    public static final String AVRO_CONTENT_TYPE = "application/avro";
    /** The content type of the JSON events of {@code cwom.lineage.v1} (OpenLineage). */
    public static final String JSON_CONTENT_TYPE = "application/json";

    /** Prefix of every {@code ce_type}; the suffix names the event and the version of the topic it travels on. */
    static final String TYPE_PREFIX = "dev.cwom.";

    private CloudEventHeaders() {
    }

    /**
     * The attributes of {@code event} written by {@code source} (e.g. {@code /cwom/worker/w-1}), header name ->
     * value; empty when {@code event} is not one of the pipeline's events (nothing is invented for it).
     */
    public static Map<String, String> of(Object event, String source) {
        Described described = describe(event);
        return described == null ? Map.of() : attributes(described, source, AVRO_CONTENT_TYPE);
    }

    /**
     * The attributes of an OpenLineage {@code RunEvent} (JSON on {@code cwom.lineage.v1}) of type {@code eventType}
     * ({@code START}, {@code COMPLETE}, ...) about run {@code runId}. OpenLineage events have no id of their own: the
     * run and the type make one, the same for the byte-identical repeat a retried round may send, so consumers can
     * drop it by {@code ce_id}.
     */
    public static Map<String, String> ofLineage(String runId, String eventType, Instant eventTime, String source) {
        String type = eventType.toLowerCase(java.util.Locale.ROOT);
        return attributes(new Described(runId + "/" + type, "lineage.run." + type + ".v1", eventTime, runId), source,
                JSON_CONTENT_TYPE);
    }

    private static Map<String, String> attributes(Described described, String source, String contentType) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put(SPECVERSION, "1.0");
        attributes.put(ID, described.id());
        attributes.put(SOURCE, source);
        attributes.put(TYPE, TYPE_PREFIX + described.type());
        attributes.put(TIME, DateTimeFormatter.ISO_INSTANT.format(described.time()));
        if (described.subject() != null) {
            attributes.put(SUBJECT, described.subject());
        }
        attributes.put(CONTENT_TYPE, contentType);
        return attributes;
    }

    /** Writes {@link #of} into {@code headers}, replacing what they held for the same names. */
    public static void write(Object event, String source, Headers headers) {
        of(event, source).forEach((name, value) -> {
            headers.remove(name);
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        });
    }

    private record Described(String id, String type, Instant time, @Nullable String subject) {
    }

    private static @Nullable Described describe(Object event) {
        return switch (event) {
            case IssueSubmitted e -> new Described(e.getEventId(), "issue.submitted.v1", e.getOccurredAt(),
                    null);
            case WorkOrder e -> new Described(e.getEventId(), "issue.ready.v1", e.getOccurredAt(), e.getIssueId());
            case IssueCanceled e -> new Described(e.getEventId(),
                    e.getWithdrawnThroughAttempt() == null ? "issue.canceled.v1" : "issue.withdrawn.v1",
                    e.getOccurredAt(), e.getIssueId());
            case RunEvent e -> new Described(e.getEventId(), "run." + runEventKind(e.getPayload()) + ".v1",
                    e.getOccurredAt(), e.getRunId());
            case ArtifactCreated e -> new Described(e.getEventId(), "artifact.created.v1", e.getOccurredAt(),
                    e.getRunId());
            case RecordRejected e -> new Described(e.getEventId(), "record.rejected.v1", e.getOccurredAt(),
                    e.getSourceTopic());
            default -> null;
        };
    }

    private static String runEventKind(Object payload) {
        return switch (payload) {
            case RunStarted ignored -> "started";
            case RunHeartbeat ignored -> "heartbeat";
            case RunFinished ignored -> "finished";
            default -> "event";
        };
    }
}
