package dev.cwom.localstack.benchmark;

import java.util.concurrent.locks.LockSupport;

/**
 * Sends at a fixed rate without drift: the i-th send is due at {@code start + i / rate}, computed from the start and
 * not from the previous send, so a late send (a GC pause, a busy core) is followed by the next one at once instead of
 * pushing every later send back. A rate of at most zero means as fast as possible.
 */
public final class Pacer {

    private final long startNanos;
    private final double nanosPerSend;

    /**
     * @param startNanos  the {@link System#nanoTime()} at which send 0 is due
     * @param perSecond   sends per second; at most zero for no pacing
     */
    public Pacer(long startNanos, double perSecond) {
        this.startNanos = startNanos;
        this.nanosPerSend = perSecond > 0 ? 1_000_000_000.0 / perSecond : 0;
    }

    /** When send {@code index} (from 0) is due, in {@link System#nanoTime()} terms. */
    long dueNanos(int index) {
        return startNanos + Math.round(index * nanosPerSend);
    }

    /** How long to wait at {@code nowNanos} before send {@code index}; 0 when it is due or overdue. */
    long waitNanos(int index, long nowNanos) {
        return Math.max(0, dueNanos(index) - nowNanos);
    }

    /** Parks the calling thread until send {@code index} is due. */
    public void awaitTurn(int index) {
        long wait;
        while ((wait = waitNanos(index, System.nanoTime())) > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}
