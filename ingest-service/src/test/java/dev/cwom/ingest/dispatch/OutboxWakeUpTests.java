package dev.cwom.ingest.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cwom.ingest.IngestApiTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The relay is woken by the commit of a transaction that wrote the outbox, once, and never by a rollback. */
class OutboxWakeUpTests extends IngestApiTest {

    @Autowired
    PlatformTransactionManager transactionManager;

    @Test
    void aCommitWakesTheRelayOnceAndARollbackDoesNot() {
        OutboxWakeUp wakeUp = new OutboxWakeUp(jdbc);
        TransactionTemplate transactions = new TransactionTemplate(transactionManager);

        transactions.executeWithoutResult(status -> {
            wakeUp.afterCommit();
            wakeUp.afterCommit();
            assertThat(awoken(wakeUp)).as("before the commit").isFalse();
        });
        assertThat(awoken(wakeUp)).as("after the commit").isTrue();
        assertThat(awoken(wakeUp)).as("one wake-up for the transaction's rows").isFalse();

        transactions.executeWithoutResult(status -> {
            wakeUp.afterCommit();
            status.setRollbackOnly();
        });
        assertThat(awoken(wakeUp)).as("after a rollback").isFalse();

        // outside a transaction there is nothing to wait for
        wakeUp.afterCommit();
        assertThat(awoken(wakeUp)).isFalse();
    }

    private static boolean awoken(OutboxWakeUp wakeUp) {
        try {
            return wakeUp.await(Duration.ofMillis(50));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
