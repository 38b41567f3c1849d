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
    /** Of the errors, those with status 500 and above (the others are client errors, 400-499). */
    long serverErrors;
    /** When the newest error, client error and server error among the calls happened (epoch ms); 0 when none. */
    long lastErrorMs;
    long lastClientErrorMs;
    long lastServerErrorMs;

    /** Counts one call; {@code latencyMs} already clamped at zero. */
    void record(UsageEvent e, int latencyMs) {
        calls++;
        if (e.status() >= 400) {
            errors++;
            lastErrorMs = Math.max(lastErrorMs, e.atMillis());
            if (e.status() >= 500) {
                serverErrors++;
                lastServerErrorMs = Math.max(lastServerErrorMs, e.atMillis());
            } else {
                lastClientErrorMs = Math.max(lastClientErrorMs, e.atMillis());
            }
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
        serverErrors += other.serverErrors;
        lastErrorMs = Math.max(lastErrorMs, other.lastErrorMs);
        lastClientErrorMs = Math.max(lastClientErrorMs, other.lastClientErrorMs);
        lastServerErrorMs = Math.max(lastServerErrorMs, other.lastServerErrorMs);
    }

    Counts copy() {
        Counts copy = new Counts();
        copy.add(this);
        return copy;
    }

    dev.tollgate.metering.UsageTotals totals() {
        return new dev.tollgate.metering.UsageTotals(calls, errors, dispatched, bytesIn, bytesOut, inputTokens,
                outputTokens, cachedTokens, costMicros, latencySumMs, latencyMaxMs,
                instant(lastErrorMs), serverErrors, instant(lastClientErrorMs), instant(lastServerErrorMs));
    }

    private static java.time.Instant instant(long epochMillis) {
        return epochMillis == 0 ? null : java.time.Instant.ofEpochMilli(epochMillis);
    }
}
