package dev.cwom.artifacts.reaper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * The reaper's actions: {@code cwom_reaper_rounds_total} (rounds run in this instance) and
 * {@code cwom_reaper_runs_failed_total} (running runs without a heartbeat that it recorded failed: each is a worker
 * lost mid-run, so any increase is worth a look).
 */
final class ReaperMetrics {

    static final String ROUNDS = "cwom.reaper.rounds";
    static final String RUNS_FAILED = "cwom.reaper.runs.failed";

    private final Counter rounds;
    private final Counter runsFailed;

    ReaperMetrics(MeterRegistry registry) {
        rounds = Counter.builder(ROUNDS).description("reaper rounds").register(registry);
        runsFailed = Counter.builder(RUNS_FAILED).description("stale running runs recorded failed")
                .register(registry);
    }

    /** After a round, with the ids of the runs it failed. */
    List<String> round(List<String> reaped) {
        rounds.increment();
        runsFailed.increment(reaped.size());
        return reaped;
    }
}
