package dev.cwom.service.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.util.Map;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.transaction.CannotCreateTransactionException;

class ConsumerFailuresTests {

    @Test
    void servicesThatAreAwayAreWaitedForWhereverTheyHideInTheCauseChain() {
        assertThat(ConsumerFailures.category(wrapped(new DataAccessResourceFailureException("down"))))
                .isEqualTo(FailureCategory.UNAVAILABLE);
        assertThat(ConsumerFailures.category(wrapped(new QueryTimeoutException("slow"))))
                .isEqualTo(FailureCategory.UNAVAILABLE);
        assertThat(ConsumerFailures.category(new CannotCreateTransactionException("no tx", new ConnectException())))
                .isEqualTo(FailureCategory.UNAVAILABLE);
        assertThat(ConsumerFailures.category(wrapped(new TimeoutException("broker")))).isEqualTo(
                FailureCategory.UNAVAILABLE);
        assertThat(ConsumerFailures.category(wrapped(new RuntimeException(new SQLException("gone", "57P01")))))
                .isEqualTo(FailureCategory.UNAVAILABLE);
        // a broker or registry away arrives inside spring-kafka's DeserializationException: not the record's fault
        assertThat(ConsumerFailures.category(new DeserializationException("no registry", new byte[] {1}, false,
                new ConnectException("registry away")))).isEqualTo(FailureCategory.UNAVAILABLE);
        assertThat(ConsumerFailures.isTransient(wrapped(new DataAccessResourceFailureException("down")))).isTrue();
    }

    @Test
    void aMissingTableOrColumnWaitsForTheMigrationInsteadOfRejectingGoodRecords() {
        Throwable failure = wrapped(new RuntimeException(new SQLException("relation does not exist", "42P01")));

        assertThat(ConsumerFailures.category(failure)).isEqualTo(FailureCategory.SCHEMA_NOT_MIGRATED);
        assertThat(ConsumerFailures.isTransient(failure)).isTrue();
        assertThat(FailureCategory.SCHEMA_NOT_MIGRATED.advice()).contains("run the service's migrations");
    }

    @Test
    void aRefusedRecordCarriesItsOwnCategoryReasonAndDetails() {
        Throwable invalid = wrapped(new Refusal("VALIDATION_FAILED", FailureCategory.INVALID_RECORD, null));
        Throwable refused = wrapped(new Refusal("UNKNOWN_REFERENCE", FailureCategory.REFUSED,
                new DataIntegrityViolationException("fk", new SQLException("violates fk", "23503"))));

        assertThat(ConsumerFailures.category(invalid)).isEqualTo(FailureCategory.INVALID_RECORD);
        assertThat(ConsumerFailures.reasonCode(invalid)).isEqualTo("VALIDATION_FAILED");
        assertThat(ConsumerFailures.message(invalid)).isEqualTo("refused: VALIDATION_FAILED");
        assertThat(ConsumerFailures.details(invalid)).containsExactlyInAnyOrderEntriesOf(
                Map.of("field", "x", "category", "INVALID_RECORD"));
        assertThat(ConsumerFailures.category(refused)).isEqualTo(FailureCategory.REFUSED);
        assertThat(ConsumerFailures.details(refused)).containsEntry("exception", SQLException.class.getName());
        assertThat(ConsumerFailures.sqlState(refused)).isEqualTo("23503");
    }

    @Test
    void undecodableBytesAreRejectedAtOnceAndAnythingElseAfterAFewTries() {
        Throwable corrupt = new DeserializationException("bad bytes", new byte[] {1}, false,
                new IllegalArgumentException("not JSON"));
        Throwable unexpected = wrapped(new IllegalStateException("a bug"));

        assertThat(ConsumerFailures.category(corrupt)).isEqualTo(FailureCategory.INVALID_RECORD);
        assertThat(ConsumerFailures.reasonCode(corrupt)).isEqualTo("CORRUPT_PAYLOAD");
        assertThat(ConsumerFailures.category(unexpected)).isEqualTo(FailureCategory.UNEXPECTED);
        assertThat(FailureCategory.UNEXPECTED.handling()).isEqualTo(FailureCategory.Handling.RETRY_THEN_REJECT);
        assertThat(ConsumerFailures.reasonCode(unexpected)).isEqualTo("UNSTORABLE");
        assertThat(ConsumerFailures.message(unexpected)).isEqualTo("IllegalStateException: a bug");
        assertThat(ConsumerFailures.details(unexpected)).containsEntry("category", "UNEXPECTED")
                .containsEntry("exception", IllegalStateException.class.getName());
    }

    private static Throwable wrapped(Throwable cause) {
        return new ListenerExecutionFailedException("listener failed", cause);
    }

    private static final class Refusal extends RecordRefusedException {

        private final String reasonCode;
        private final FailureCategory category;

        Refusal(String reasonCode, FailureCategory category, Throwable cause) {
            super("refused: " + reasonCode, cause);
            this.reasonCode = reasonCode;
            this.category = category;
        }

        @Override
        public String reasonCode() {
            return reasonCode;
        }

        @Override
        public FailureCategory category() {
            return category;
        }

        @Override
        public Map<String, String> details() {
            return category == FailureCategory.INVALID_RECORD ? Map.of("field", "x") : Map.of("sql_state", "23503");
        }
    }
}
