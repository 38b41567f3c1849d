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

    /**
     * Adds a stored rollup (its counts, shortest latency and encoded histogram) without decoding the histogram into
     * one of its own: the encoding's counts are recorded straight into this one's (reading many rows, decoding
     * allocated and cleared a counts array per row).
     */
    void addEncoded(Counts other, int otherMinMs, byte[] encoded) {
        counts.add(other);
        if (other.calls > 0) {
            minMs = Math.min(minMs, otherMinMs);
        }
        if (!recordEncoded(histogram, encoded)) {
            histogram.add(Histogram.decodeFromByteBuffer(ByteBuffer.wrap(encoded), 0));
        }
    }

    private static final int V2_COOKIE = 0x1c849303;
    private static final int HEADER_BYTES = 40;

    /**
     * Records the counts of HdrHistogram's uncompressed V2 encoding (a 40-byte header, then ZigZag LEB128 words: a
     * count for the next index, or minus a run of empty indexes) into {@code into}; false when the encoding is another
     * (then the caller decodes it the slow way).
     */
    static boolean recordEncoded(Histogram into, byte[] encoded) {
        ByteBuffer in = ByteBuffer.wrap(encoded);
        if (encoded.length < HEADER_BYTES || (in.getInt(0) & ~0xf0) != V2_COOKIE || in.getInt(8) != 0) {
            return false; // not V2, or a shifted (normalized) histogram
        }
        int payload = in.getInt(4);
        int digits = in.getInt(12);
        long lowest = in.getLong(16);
        if (HEADER_BYTES + payload > encoded.length || digits < 0 || digits > 5 || lowest < 1) {
            return false;
        }
        int unitMagnitude = 63 - Long.numberOfLeadingZeros(lowest);
        long singleUnitResolution = 2 * (long) Math.pow(10, digits);
        int subBucketCountMagnitude = 64 - Long.numberOfLeadingZeros(singleUnitResolution - 1);
        int halfMagnitude = Math.max(subBucketCountMagnitude, 1) - 1;
        int halfCount = 1 << halfMagnitude;
        int index = 0;
        int at = HEADER_BYTES;
        int end = HEADER_BYTES + payload;
        while (at < end) {
            long raw = 0;
            int shift = 0;
            int b;
            do {
                b = encoded[at++] & 0xFF;
                raw |= (shift == 56 ? (long) b : (long) (b & 0x7F)) << shift;
                shift += 7;
            } while (shift < 63 && (b & 0x80) != 0 && at < end);
            long word = (raw >>> 1) ^ -(raw & 1);
            if (word < 0) {
                index += (int) -word;
            } else {
                if (word > 0) {
                    int bucket = (index >> halfMagnitude) - 1;
                    int subBucket = (index & (halfCount - 1)) + halfCount;
                    if (bucket < 0) {
                        subBucket -= halfCount;
                        bucket = 0;
                    }
                    into.recordValueWithCount((long) subBucket << (bucket + unitMagnitude), word);
                }
                index++;
            }
        }
        return true;
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
