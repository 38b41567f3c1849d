package dev.tollgate.metering.rollup;

import java.time.Instant;

/** The size of a rollup's bucket (UTC): minute, hour or day. */
public enum Granularity {
    MINUTE('m', 60_000L), HOUR('h', 3_600_000L), DAY('d', 86_400_000L);

    /** The code stored in the {@code granularity} column. */
    public final char code;
    public final long millis;

    Granularity(char code, long millis) {
        this.code = code;
        this.millis = millis;
    }

    /** The start of the bucket that holds {@code epochMillis}. */
    public long floor(long epochMillis) {
        return Math.floorDiv(epochMillis, millis) * millis;
    }

    public Instant floor(Instant at) {
        return Instant.ofEpochMilli(floor(at.toEpochMilli()));
    }

    /** The start of the first bucket that starts at or after {@code epochMillis}. */
    public long ceil(long epochMillis) {
        return -Math.floorDiv(-epochMillis, millis) * millis;
    }

    static Granularity of(char code) {
        for (Granularity g : values()) {
            if (g.code == code) {
                return g;
            }
        }
        throw new IllegalArgumentException("no granularity '" + code + "'");
    }

    /** A part of a query window read at one granularity: buckets that start in [start, end). */
    record Segment(Granularity granularity, long start, long end) {
    }

    /**
     * Splits [from, to) into whole days, whole hours and minutes, the coarsest first, using no granularity coarser
     * than {@code coarsest}, days only before {@code daysUntil} and hours only before {@code hoursUntil} (how far
     * compaction has got). A minute belongs to the window when it starts inside it.
     */
    static java.util.List<Segment> plan(long from, long to, Granularity coarsest, long hoursUntil, long daysUntil) {
        java.util.List<Segment> segments = new java.util.ArrayList<>();
        plan(from, to, coarsest, hoursUntil, daysUntil, segments);
        return segments;
    }

    private static void plan(long from, long to, Granularity level, long hoursUntil, long daysUntil,
            java.util.List<Segment> into) {
        if (from >= to) {
            return;
        }
        if (level == MINUTE) {
            into.add(new Segment(MINUTE, from, to));
            return;
        }
        long until = level == DAY ? daysUntil : hoursUntil;
        long start = level.ceil(from);
        long end = until == Long.MIN_VALUE ? Long.MIN_VALUE : Math.min(level.floor(to), level.floor(until));
        Granularity finer = level == DAY ? HOUR : MINUTE;
        if (start >= end) {
            plan(from, to, finer, hoursUntil, daysUntil, into);
            return;
        }
        into.add(new Segment(level, start, end));
        plan(from, start, finer, hoursUntil, daysUntil, into);
        plan(end, to, finer, hoursUntil, daysUntil, into);
    }
}
