package dev.cwom.ingest.dispatch;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Wakes the {@link OutboxRelay}s as soon as a transaction that wrote outbox rows commits, instead of leaving the rows
 * for the relay's next poll (up to {@code cwom.ingest.relay.poll-interval} later, the larger part of an Issue's time
 * from intake to its work order). Two ways, both once per transaction: this instance's relay in-process after the
 * commit, and every instance's relay through PostgreSQL: a {@code NOTIFY} on {@value #CHANNEL} in the writing
 * transaction, delivered when it commits (and never when it rolls back) to each relay's {@code LISTEN}
 * ({@code dev.cwom.ingest.store.PostgresListener}, wired by {@code DispatchConfiguration}). With several ingest
 * instances the rows are claimed by whichever relay is free, not only by the writer's; the poll stays as the fallback
 * while a relay's listening connection is down.
 */
@Component
public class OutboxWakeUp {

    /** The channel outbox writers notify on and relays listen to. */
    public static final String CHANNEL = "cwom_outbox";

    private final JdbcClient jdbc;
    private final Semaphore wakeUps = new Semaphore(0);

    public OutboxWakeUp(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Announces the current transaction's outbox rows: a NOTIFY in it, and this relay woken after its commit (once
     * per transaction, however many rows it wrote). Outside a transaction there is nothing to announce.
     */
    void afterCommit() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()
                || TransactionSynchronizationManager.hasResource(this)) {
            return;
        }
        TransactionSynchronizationManager.bindResource(this, Boolean.TRUE);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                wake();
            }

            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(OutboxWakeUp.this);
            }
        });
        jdbc.sql("NOTIFY " + CHANNEL).update();
    }

    /** Wakes the relay now; wake-ups while it works add up to one more pass, not one each. */
    void wake() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    /**
     * Waits for a wake-up, at most {@code timeout}.
     *
     * @return whether it was woken
     */
    boolean await(Duration timeout) throws InterruptedException {
        boolean woken = wakeUps.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
        wakeUps.drainPermits();
        return woken;
    }
}
