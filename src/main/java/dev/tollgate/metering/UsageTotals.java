package dev.tollgate.metering;

/**
 * What a set of calls added up to: calls, errors (status 400 and above), calls that went upstream, bytes, AI tokens
 * (input includes cached input) and cost in micros, the sum and maximum of their latencies in ms, when the newest
 * error happened (null: no errors), and the errors split into server errors (status 500 and above) and client errors
 * (400-499) with the time of the newest of each.
 */
public record UsageTotals(long calls, long errors, long dispatched, long bytesIn, long bytesOut, long inputTokens,
        long outputTokens, long cachedTokens, long costMicros, long latencySumMs, int latencyMaxMs,
        java.time.Instant lastErrorAt, long serverErrors, java.time.Instant lastClientErrorAt,
        java.time.Instant lastServerErrorAt) {

    public static final UsageTotals NONE = new UsageTotals(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, 0, null, null);

    /** Errors with a status of 400-499. */
    public long clientErrors() {
        return errors - serverErrors;
    }

    /** Mean latency in ms, two decimals; 0 without calls. */
    public double latencyAvgMs() {
        return calls == 0 ? 0 : Math.round(latencySumMs * 100.0 / calls) / 100.0;
    }

    /** Errors per call, four decimals; 0 without calls. */
    public double errorRate() {
        return calls == 0 ? 0 : Math.round(errors * 10_000.0 / calls) / 10_000.0;
    }
}
