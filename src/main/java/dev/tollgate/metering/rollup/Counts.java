package dev.tollgate.metering.rollup;

/** The additive figures of a set of calls. Not thread-safe: owned by one thread, or copied. */
final class Counts {

    long calls;
    long errors;
    long dispatched;
    long bytesIn;
    long bytesOut;
    long inputTokens;
    long outputTokens;
    long cachedTokens;
    long costMicros;
    long latencySumMs;
    int latencyMaxMs;

    void add(Counts other) {
        calls += other.calls;
        errors += other.errors;
        dispatched += other.dispatched;
        bytesIn += other.bytesIn;
        bytesOut += other.bytesOut;
        inputTokens += other.inputTokens;
        outputTokens += other.outputTokens;
        cachedTokens += other.cachedTokens;
        costMicros += other.costMicros;
        latencySumMs += other.latencySumMs;
        latencyMaxMs = Math.max(latencyMaxMs, other.latencyMaxMs);
    }

    Counts copy() {
        Counts copy = new Counts();
        copy.add(this);
        return copy;
    }

    dev.tollgate.metering.UsageTotals totals() {
        return new dev.tollgate.metering.UsageTotals(calls, errors, dispatched, bytesIn, bytesOut, inputTokens,
                outputTokens, cachedTokens, costMicros, latencySumMs, latencyMaxMs);
    }
}
