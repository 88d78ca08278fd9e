package dev.cwom.ingest.dispatch;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Wakes this instance's {@link OutboxRelay} as soon as a transaction that wrote outbox rows commits, instead of leaving
 * the rows for the relay's next poll (up to {@code cwom.ingest.relay.poll-interval} later, the larger part of an
 * Issue's time from intake to its work order). In-process rather than {@code LISTEN/NOTIFY}: every outbox row is
 * written by an ingest instance, which wakes its own relay, so no connection is held for it; the poll stays as the
 * fallback for rows a crashed instance left, which any instance's relay claims.
 */
@Component
public class OutboxWakeUp {

    private final Semaphore wakeUps = new Semaphore(0);

    /** Wakes the relay once the current transaction commits (once per transaction, however many rows it wrote). */
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
