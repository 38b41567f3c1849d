package dev.tollgate.metering;

/**
 * What a set of calls added up to: calls, errors (status 400 and above), calls that went upstream, bytes, AI tokens
 * (input includes cached input) and cost in micros, the sum and maximum of their latencies in ms, and when the
 * newest error happened (null: no errors).
 */
public record UsageTotals(long calls, long errors, long dispatched, long bytesIn, long bytesOut, long inputTokens,
        long outputTokens, long cachedTokens, long costMicros, long latencySumMs, int latencyMaxMs,
        java.time.Instant lastErrorAt) {

    public static final UsageTotals NONE = new UsageTotals(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null);

    /** Mean latency in ms, two decimals; 0 without calls. */
    public double latencyAvgMs() {
        return calls == 0 ? 0 : Math.round(latencySumMs * 100.0 / calls) / 100.0;
    }

    /** Errors per call, four decimals; 0 without calls. */
    public double errorRate() {
        return calls == 0 ? 0 : Math.round(errors * 10_000.0 / calls) / 10_000.0;
    }
}
