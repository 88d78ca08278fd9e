package dev.cwom.worker.runs;

import dev.cwom.model.FailureCategory;
import dev.cwom.model.Run;
import dev.cwom.worker.executors.ExecutionRequest;
import dev.cwom.worker.executors.ExecutionResult;
import dev.cwom.worker.executors.Executor;
import dev.cwom.worker.trace.TraceRecorder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An executor named {@code hold} (unless named otherwise) that keeps a run going until {@link #release()} (or an
 * interrupt), so that tests can act while a run is in flight. Created released, it finishes at once.
 */
final class HoldingExecutor implements Executor {

    static final String NAME = "hold";

    private final String name;
    private final CountDownLatch release;
    private final AtomicInteger started = new AtomicInteger();

    private HoldingExecutor(String name, boolean held) {
        this.name = name;
        this.release = new CountDownLatch(held ? 1 : 0);
    }

    static HoldingExecutor held() {
        return new HoldingExecutor(NAME, true);
    }

    /** Held, under another executor's name (e.g. {@code shell}, to be scheduled like one). */
    static HoldingExecutor held(String name) {
        return new HoldingExecutor(name, true);
    }

    static HoldingExecutor released() {
        return new HoldingExecutor(NAME, false);
    }

    void release() {
        release.countDown();
    }

    int started() {
        return started.get();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ExecutionResult execute(ExecutionRequest request, TraceRecorder trace) {
        started.incrementAndGet();
        trace.event("hold.waiting", Map.of());
        try {
            if (!release.await(5, TimeUnit.MINUTES)) {
                return ExecutionResult.refused(FailureCategory.RUNTIME, "never released", List.of());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExecutionResult.refused(FailureCategory.RUNTIME, "interrupted", List.of("interrupted"));
        }
        trace.log("released");
        return ExecutionResult.success(List.of(), "held, then released", List.of("held until released"),
                new Run.Cost(null, null, 0.0));
    }
}
