package dev.tollgate.platform;

/** Durations as response headers show them. */
public final class Durations {

    private Durations() {
    }

    /** Milliseconds with two decimals, e.g. {@code 1.05}; cheaper than String.format on every response. */
    public static String millis(long nanos) {
        long hundredths = (nanos + 5_000) / 10_000;
        long fraction = hundredths % 100;
        return (hundredths / 100) + (fraction < 10 ? ".0" : ".") + fraction;
    }
}
