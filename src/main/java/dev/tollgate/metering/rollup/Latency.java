package dev.tollgate.metering.rollup;

import java.nio.ByteBuffer;

import org.HdrHistogram.Histogram;

/**
 * The latencies of a set of calls: count, sum, min, max and an HdrHistogram (milliseconds, 2 significant digits, so
 * percentiles are within 1%) that merges exactly across buckets and nodes. Not thread-safe.
 */
final class Latency {

    /** Highest latency tracked exactly; longer calls are recorded as this (an hour). */
    static final long HIGHEST_MS = 3_600_000L;
    private static final int DIGITS = 2;

    long calls;
    long sumMs;
    int minMs = Integer.MAX_VALUE;
    int maxMs;
    final Histogram histogram;

    Latency() {
        // auto-resizing: sized for the longest latency seen, not for an hour (about 11 KB up to a second, not 23)
        this(new Histogram(DIGITS));
    }

    private Latency(Histogram histogram) {
        this.histogram = histogram;
    }

    void record(int ms) {
        int value = Math.max(0, ms);
        calls++;
        sumMs += value;
        minMs = Math.min(minMs, value);
        maxMs = Math.max(maxMs, value);
        histogram.recordValue(Math.min(value, HIGHEST_MS));
    }

    void add(Latency other) {
        calls += other.calls;
        sumMs += other.sumMs;
        minMs = Math.min(minMs, other.minMs);
        maxMs = Math.max(maxMs, other.maxMs);
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

    static Latency decode(long calls, long sumMs, int minMs, int maxMs, byte[] encoded) {
        Latency latency = new Latency(Histogram.decodeFromByteBuffer(ByteBuffer.wrap(encoded), 0));
        latency.calls = calls;
        latency.sumMs = sumMs;
        latency.minMs = minMs;
        latency.maxMs = maxMs;
        return latency;
    }

    dev.tollgate.metering.LatencyStats stats() {
        if (calls == 0) {
            return dev.tollgate.metering.LatencyStats.NONE;
        }
        return new dev.tollgate.metering.LatencyStats(calls, Math.round(sumMs * 100.0 / calls) / 100.0, minMs, maxMs,
                histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(95),
                histogram.getValueAtPercentile(99));
    }
}
