package dev.cwom.artifacts.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.artifacts.sink.SinkFailures.Handling;
import dev.cwom.events.Topics;
import dev.cwom.serde.AvroSerdeException;
import dev.cwom.serde.KafkaAvroDeserializer;
import dev.cwom.serde.SerdeErrors;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.kafka.listener.BatchListenerFailedException;

class SinkFailuresTests {

    private static final SinkEvent EVENT = new SinkEvent.RunEventReceived(0, SinkFixtures.started(
            new SinkFixtures.Issue("01M8000000000000000000000A", "01M8000000000000000000000B"),
            "01M8000000000000000000000C", SinkFixtures.now()));

    @Test
    void anUnreachableDatabaseIsWaitedForWithoutLimit() {
        assertThat(SinkFailures.handling(new CannotGetJdbcConnectionException("down", new SQLException("x", "08001"))))
                .isEqualTo(Handling.RETRY_FOREVER);
        assertThat(SinkFailures.handling(new BatchListenerFailedException("wrapped",
                new CannotGetJdbcConnectionException("down", new SQLException("x", "08001")), 0)))
                .isEqualTo(Handling.RETRY_FOREVER);
        assertThat(SinkFailures.refusal(new CannotGetJdbcConnectionException("down"), EVENT))
                .isInstanceOf(CannotGetJdbcConnectionException.class);
    }

    @Test
    void aMissingTableIsNoLongerWaitedForSinceTheSinkMigratesItselfBeforeConsuming() {
        assertThat(SinkFailures.handling(new BatchListenerFailedException("wrapped",
                new BadSqlGrammarException("upsert", "INSERT", new SQLException("no table", "42P01")), 0)))
                .isEqualTo(Handling.RETRY_THEN_REJECT);
    }

    @Test
    void aMissingReferenceIsRetriedABoundedNumberOfTimesThenRejectedAsUnknownReference() {
        RuntimeException refusal = SinkFailures.refusal(
                new DataIntegrityViolationException("fk", new SQLException("violates fk", "23503")), EVENT);

        assertThat(refusal).isInstanceOf(UnknownReferenceException.class);
        assertThat(SinkFailures.handling(new BatchListenerFailedException("wrapped", refusal, 0)))
                .isEqualTo(Handling.RETRY_THEN_REJECT);
        assertThat(SinkFailures.reasonCode(refusal)).isEqualTo("UNKNOWN_REFERENCE");
        assertThat(SinkFailures.details(refusal)).containsEntry("sql_state", "23503");
        assertThat(SinkFailures.refusal(new DataIntegrityViolationException("check",
                new SQLException("violates check", "23514")), EVENT)).isInstanceOf(UnstorableEventException.class);
    }

    @Test
    void undecodableAndInvalidEventsAreRejectedAtOnceWithTheirReasonCode() {
        AvroSerdeException wrongMagic = decodeFailure(new byte[] {'{', '}'});

        assertThat(SinkFailures.handling(wrongMagic)).isEqualTo(Handling.REJECT);
        assertThat(SinkFailures.reasonCode(wrongMagic)).isEqualTo("WRONG_MAGIC_BYTE");
        assertThat(SinkFailures.handling(new InvalidEventException("bad id"))).isEqualTo(Handling.REJECT);
        assertThat(SinkFailures.reasonCode(new InvalidEventException("bad id"))).isEqualTo("VALIDATION_FAILED");
        assertThat(SerdeErrors.isRetryable(wrongMagic)).isFalse();
    }

    private static AvroSerdeException decodeFailure(byte[] value) {
        try (KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer()) {
            deserializer.configure(Map.of("schema.registry.url", "mock://sink-failures"), false);
            deserializer.deserialize(Topics.RUNS, value);
        } catch (AvroSerdeException e) {
            return e;
        }
        throw new AssertionError("expected the bytes to be refused");
    }
}
