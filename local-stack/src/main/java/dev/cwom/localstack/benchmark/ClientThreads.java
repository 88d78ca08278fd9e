package dev.cwom.localstack.benchmark;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * CPU time of the benchmark's own threads (its main thread, the completion poller, the memory sampler and its
 * producer's network thread, all named {@link StackBenchmark#THREAD_PREFIX}...), so the JVM it shares with the schema
 * registry can be told apart: the registry's share is the JVM's CPU time minus this.
 */
final class ClientThreads {

    private ClientThreads() {
    }

    /** Summed CPU ns of the live client threads. */
    static long cpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains(StackBenchmark.THREAD_PREFIX)) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }
}
