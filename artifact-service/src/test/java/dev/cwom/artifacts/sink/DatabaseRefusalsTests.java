package dev.cwom.artifacts.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.events.Topics;
import dev.cwom.serde.AvroSerdeException;
import dev.cwom.serde.KafkaAvroDeserializer;
import dev.cwom.serde.SerdeErrors;
import dev.cwom.service.kafka.ConsumerFailures;
import dev.cwom.service.kafka.FailureCategory;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.kafka.listener.BatchListenerFailedException;

/** The sink's refusals as the shared classification ({@link ConsumerFailures}) handles them. */
class DatabaseRefusalsTests {

    private static final SinkEvent EVENT = new SinkEvent.RunEventReceived(0, SinkFixtures.started(
            new SinkFixtures.Issue("01M8000000000000000000000A", "01M8000000000000000000000B"),
            "01M8000000000000000000000C", SinkFixtures.now()));

    @Test
    void anUnreachableOrUnmigratedDatabaseIsWaitedForWithoutLimit() {
        assertThat(ConsumerFailures.category(new CannotGetJdbcConnectionException("down", new SQLException("x", "08001"))))
                .isEqualTo(FailureCategory.UNAVAILABLE);
        assertThat(ConsumerFailures.category(new BatchListenerFailedException("wrapped",
                new BadSqlGrammarException("upsert", "INSERT", new SQLException("no table", "42P01")), 0)))
                .isEqualTo(FailureCategory.SCHEMA_NOT_MIGRATED);
        assertThat(DatabaseRefusals.refusal(new CannotGetJdbcConnectionException("down"), EVENT))
                .isInstanceOf(CannotGetJdbcConnectionException.class);
    }

    @Test
    void aMissingReferenceIsRetriedABoundedNumberOfTimesThenRejectedAsUnknownReference() {
        RuntimeException refusal = DatabaseRefusals.refusal(
                new DataIntegrityViolationException("fk", new SQLException("violates fk", "23503")), EVENT);

        assertThat(refusal).isInstanceOf(UnknownReferenceException.class);
        assertThat(ConsumerFailures.category(new BatchListenerFailedException("wrapped", refusal, 0)))
                .isEqualTo(FailureCategory.REFUSED);
        assertThat(ConsumerFailures.reasonCode(refusal)).isEqualTo("UNKNOWN_REFERENCE");
        assertThat(ConsumerFailures.details(refusal)).containsEntry("sql_state", "23503");
        assertThat(DatabaseRefusals.refusal(new DataIntegrityViolationException("check",
                new SQLException("violates check", "23514")), EVENT)).isInstanceOf(UnstorableEventException.class);
    }

    @Test
    void undecodableAndInvalidEventsAreRejectedAtOnceWithTheirReasonCode() {
        AvroSerdeException wrongMagic = decodeFailure(new byte[] {'{', '}'});

        assertThat(ConsumerFailures.category(wrongMagic)).isEqualTo(FailureCategory.INVALID_RECORD);
        assertThat(ConsumerFailures.reasonCode(wrongMagic)).isEqualTo("WRONG_MAGIC_BYTE");
        assertThat(ConsumerFailures.category(new InvalidEventException("bad id"))).isEqualTo(FailureCategory.INVALID_RECORD);
        assertThat(ConsumerFailures.reasonCode(new InvalidEventException("bad id"))).isEqualTo("VALIDATION_FAILED");
        assertThat(SerdeErrors.isRetryable(wrongMagic)).isFalse();
    }

    private static AvroSerdeException decodeFailure(byte[] value) {
        try (KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer()) {
            deserializer.configure(Map.of("schema.registry.url", "mock://database-refusals"), false);
            deserializer.deserialize(Topics.RUNS, value);
        } catch (AvroSerdeException e) {
            return e;
        }
        throw new AssertionError("expected the bytes to be refused");
    }
}
