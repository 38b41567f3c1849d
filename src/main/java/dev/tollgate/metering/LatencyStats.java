package dev.tollgate.metering;

/**
 * Latency of a set of calls in ms: mean (two decimals), min, max and percentiles from a merged HdrHistogram (within
 * 1% of the exact value).
 */
public record LatencyStats(long calls, double avg, int min, int max, long p50, long p95, long p99) {

    public static final LatencyStats NONE = new LatencyStats(0, 0, 0, 0, 0, 0, 0);
}
