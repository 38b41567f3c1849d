package dev.tollgate.metering.rollup;

import java.nio.ByteBuffer;

import org.HdrHistogram.Histogram;

import dev.tollgate.gateway.UsageEvent;
import dev.tollgate.metering.LatencyStats;

/**
 * A narrow rollup's value: the {@link Counts} of a set of calls, their shortest latency and an HdrHistogram of their
 * latencies (milliseconds, 2 significant digits, so percentiles are within 1%) that merges exactly across buckets and
 * nodes. Not thread-safe.
 */
final class Latency {

    /** Highest latency tracked exactly; longer calls are recorded as this (an hour). */
    static final long HIGHEST_MS = 3_600_000L;
    private static final int DIGITS = 2;

    final Counts counts;
    int minMs = Integer.MAX_VALUE;
    final Histogram histogram;

    Latency() {
        // auto-resizing: sized for the longest latency seen, not for an hour (about 11 KB up to a second, not 23)
        this(new Counts(), new Histogram(DIGITS));
    }

    private Latency(Counts counts, Histogram histogram) {
        this.counts = counts;
        this.histogram = histogram;
    }

    /** Counts one call; {@code latencyMs} already clamped at zero. */
    void record(UsageEvent e, int latencyMs) {
        counts.record(e, latencyMs);
        minMs = Math.min(minMs, latencyMs);
        histogram.recordValue(Math.min(latencyMs, HIGHEST_MS));
    }

    void add(Latency other) {
        counts.add(other.counts);
        minMs = Math.min(minMs, other.minMs);
        histogram.add(other.histogram);
    }

    Latency copy() {
        Latency copy = new Latency();
        copy.add(this);
        return copy;
    }

    /**
     * HdrHistogram's own encoding (zig-zag LEB128 counts with runs of zeros collapsed: a few hundred bytes), not its
     * deflated one, which costs more to write and to read than it saves.
     */
    byte[] encode() {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoByteBuffer(buffer);
        byte[] bytes = new byte[length];
        buffer.flip();
        buffer.get(bytes);
        return bytes;
    }

    static Latency decode(Counts counts, int minMs, byte[] encoded) {
        Latency latency = new Latency(counts, Histogram.decodeFromByteBuffer(ByteBuffer.wrap(encoded), 0));
        latency.minMs = counts.calls == 0 ? Integer.MAX_VALUE : minMs;
        return latency;
    }

    LatencyStats stats() {
        long calls = counts.calls;
        if (calls == 0) {
            return LatencyStats.NONE;
        }
        return new LatencyStats(calls, Math.round(counts.latencySumMs * 100.0 / calls) / 100.0, minMs,
                counts.latencyMaxMs, histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(95),
                histogram.getValueAtPercentile(99));
    }
}
