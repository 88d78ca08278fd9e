package dev.cwom.artifacts.sink;

import dev.cwom.events.ArtifactCreated;
import dev.cwom.events.RunEvent;
import dev.cwom.events.RunEventMapping;
import dev.cwom.events.RunFinished;
import dev.cwom.events.RunOutcome;
import dev.cwom.events.RunStarted;
import dev.cwom.events.Topics;
import dev.cwom.json.Digests;
import dev.cwom.model.ActorKind;
import dev.cwom.model.Ids;
import dev.cwom.serde.KafkaAvroDeserializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.springframework.kafka.support.KafkaUtils;
import org.jspecify.annotations.Nullable;

/**
 * Turns a raw record into a {@link SinkEvent}: Avro decoding (typed {@code AvroSerdeException}s), the topic's
 * expected type, the rules the database cannot check well (ids are ULIDs, digests are {@code sha256:}, a failed run
 * says why), and for artifacts the blob verification, done here so that no file is read inside a transaction.
 */
final class EventDecoder {

    private final Deserializer<Object> values;
    private final ArtifactVerifier verifier;

    /** @param values a {@link KafkaAvroDeserializer} configured with {@code specific.avro.reader=true} */
    EventDecoder(Deserializer<Object> values, ArtifactVerifier verifier) {
        this.values = values;
        this.verifier = verifier;
    }

    SinkEvent decode(int index, ConsumerRecord<byte[], byte[]> record) {
        String where = KafkaUtils.format(record);
        if (record.value() == null) {
            throw new InvalidEventException("Record " + where + " has no value (a tombstone); run and artifact"
                    + " topics carry events only, never deletions");
        }
        Object value = values.deserialize(record.topic(), record.headers(), record.value());
        if (Topics.RUNS.equals(record.topic()) && value instanceof RunEvent event) {
            validate(event, where);
            return new SinkEvent.RunEventReceived(index, event);
        }
        if (Topics.ARTIFACTS.equals(record.topic()) && value instanceof ArtifactCreated event) {
            validate(event, where);
            ArtifactVerifier.Verdict verdict = verifier.verify(event.getUri(), event.getDigest());
            return new SinkEvent.ArtifactReceived(index, event, verdict.verification(), verdict.note());
        }
        throw new InvalidEventException("Record " + where + " holds a "
                + (value == null ? "null" : value.getClass().getSimpleName()) + ", but " + record.topic()
                + " carries " + (Topics.RUNS.equals(record.topic()) ? "RunEvent" : "ArtifactCreated")
                + " only; publish it to the topic of its type");
    }

    private static void validate(RunEvent event, String where) {
        ulid(event.getEventId(), "event_id", where);
        ulid(event.getRunId(), "run_id", where);
        ulid(event.getIssueId(), "issue_id", where);
        ulid(event.getRepoId(), "repo_id", where);
        if (event.getPayload() instanceof RunStarted started) {
            try {
                ActorKind.of(started.getExecutor().getActorKind());
            } catch (IllegalArgumentException e) {
                throw new InvalidEventException("RunStarted at " + where + ": executor.actor_kind: " + e.getMessage());
            }
            meta(started.getMetaJson(), "RunStarted at " + where + " (run " + event.getRunId() + ")");
        }
        if (event.getPayload() instanceof RunFinished finished) {
            if (finished.getStatus() == RunOutcome.failed && finished.getFailure() == null) {
                throw new InvalidEventException("RunFinished at " + where + " (run " + event.getRunId()
                        + ") has status failed but no failure; send failure {category, message}");
            }
            if (finished.getDurationS() < 0) {
                throw new InvalidEventException("RunFinished at " + where + " has duration_s "
                        + finished.getDurationS() + "; it must be >= 0");
            }
            finished.getArtifactIds().forEach(id -> ulid(id, "artifact_ids[]", where));
        }
    }

    private static void validate(ArtifactCreated event, String where) {
        ulid(event.getEventId(), "event_id", where);
        ulid(event.getArtifactId(), "artifact_id", where);
        ulid(event.getRunId(), "run_id", where);
        ulid(event.getIssueId(), "issue_id", where);
        if (event.getTitle().isBlank() || event.getUri().isBlank()) {
            throw new InvalidEventException("ArtifactCreated at " + where + " (artifact " + event.getArtifactId()
                    + ") has a blank title or uri; both are required");
        }
        if (event.getDigest() != null && !Digests.isSha256(event.getDigest())) {
            throw new InvalidEventException("ArtifactCreated at " + where + " has digest '" + event.getDigest()
                    + "'; write it as sha256: followed by 64 lower-case hex digits");
        }
        if (event.getSizeBytes() != null && event.getSizeBytes() < 0) {
            throw new InvalidEventException("ArtifactCreated at " + where + " has size_bytes "
                    + event.getSizeBytes() + "; it must be >= 0");
        }
        meta(event.getMetaJson(), "ArtifactCreated at " + where + " (artifact " + event.getArtifactId() + ")");
    }

    /** meta_json must be what CWOM's meta is (a storable JSON object), else the event is refused here, not stored. */
    private static void meta(@Nullable String metaJson, String what) {
        try {
            RunEventMapping.meta(metaJson);
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException(what + ": " + e.getMessage());
        }
    }

    private static void ulid(@Nullable String value, String field, String where) {
        if (value == null || !Ids.isUlid(value)) {
            throw new InvalidEventException("Event at " + where + " has " + field + " '" + value
                    + "', which is not a ULID (26 Crockford base32 characters)");
        }
    }
}
