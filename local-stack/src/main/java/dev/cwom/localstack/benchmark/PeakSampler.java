package dev.cwom.localstack.benchmark;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Samples the processes' memory once a second while the benchmark runs and keeps each one's highest reading (a JVM's
 * {@code VmHWM} is its own peak already; PostgreSQL's backends come and go, so their sum is sampled).
 */
final class PeakSampler implements AutoCloseable {

    private final ProcessMeter meter;
    private final Thread sampler;
    private volatile Map<String, Long> peaks = new LinkedHashMap<>();
    private volatile boolean closed;

    PeakSampler(ProcessMeter meter) {
        this.meter = meter;
        this.sampler = Thread.ofPlatform().name(StackBenchmark.THREAD_PREFIX + "memory").daemon().start(this::sample);
    }

    /** The highest RSS in kB per process so far. */
    Map<String, Long> peaks() {
        return ProcessMeter.higherPeaks(peaks, meter.snapshot());
    }

    private void sample() {
        while (!closed) {
            peaks = ProcessMeter.higherPeaks(peaks, meter.snapshot());
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        sampler.interrupt();
        sampler.join(5_000);
    }
}
