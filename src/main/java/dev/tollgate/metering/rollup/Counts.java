package dev.tollgate.metering.rollup;

import dev.tollgate.gateway.UsageEvent;

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
    /** When the newest error among the calls happened (epoch ms); 0 when none. */
    long lastErrorMs;

    /** Counts one call; {@code latencyMs} already clamped at zero. */
    void record(UsageEvent e, int latencyMs) {
        calls++;
        if (e.status() >= 400) {
            errors++;
            lastErrorMs = Math.max(lastErrorMs, e.atMillis());
        }
        if (e.dispatched()) {
            dispatched++;
        }
        bytesIn += e.bytesIn();
        bytesOut += e.bytesOut();
        UsageEvent.Ai ai = e.ai();
        if (ai != null) {
            inputTokens += ai.inputTokens();
            outputTokens += ai.outputTokens();
            cachedTokens += ai.cachedInputTokens();
            costMicros += ai.costMicros();
        }
        latencySumMs += latencyMs;
        latencyMaxMs = Math.max(latencyMaxMs, latencyMs);
    }

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
        lastErrorMs = Math.max(lastErrorMs, other.lastErrorMs);
    }

    Counts copy() {
        Counts copy = new Counts();
        copy.add(this);
        return copy;
    }

    dev.tollgate.metering.UsageTotals totals() {
        return new dev.tollgate.metering.UsageTotals(calls, errors, dispatched, bytesIn, bytesOut, inputTokens,
                outputTokens, cachedTokens, costMicros, latencySumMs, latencyMaxMs,
                lastErrorMs == 0 ? null : java.time.Instant.ofEpochMilli(lastErrorMs));
    }
}
