package dev.cwom.localstack.benchmark;

import java.util.Arrays;
import java.util.Collection;

/**
 * p50, p99 and the maximum of a set of latencies, by the nearest-rank method: the p-th percentile is the smallest
 * value with at least p % of the values at or below it, so it is always a value that was measured (no interpolation
 * between two runs that happened to be fast and slow).
 *
 * @param count how many values there were
 */
public record Percentiles(int count, long p50, long p99, long max) {

    /** The percentiles of {@code values}; all zero when there are none. */
    public static Percentiles of(Collection<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        if (sorted.length == 0) {
            return new Percentiles(0, 0, 0, 0);
        }
        return new Percentiles(sorted.length, rank(sorted, 50), rank(sorted, 99), sorted[sorted.length - 1]);
    }

    /** The nearest-rank percentile of sorted, non-empty values: the value at rank ceil(p / 100 * n). */
    static long rank(long[] sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }
}
