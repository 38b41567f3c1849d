package dev.tollgate.platform;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Amounts of the platform currency as {@code long} micro-units (1 unit = 1,000,000 micros). JSON carries decimal
 * numbers in currency units; these are the only conversions between the two.
 */
public final class Money {

    public static final long MICROS_PER_UNIT = 1_000_000L;
    private static final int SCALE = 6;

    private Money() {
    }

    /**
     * @throws IllegalArgumentException when the amount is negative, has more than six decimals or does not fit
     */
    public static long toMicros(BigDecimal amount) {
        if (amount.signum() < 0) {
            throw new IllegalArgumentException("must not be negative");
        }
        if (amount.stripTrailingZeros().scale() > SCALE) {
            throw new IllegalArgumentException("must have at most 6 decimals");
        }
        try {
            return amount.setScale(SCALE, RoundingMode.UNNECESSARY).unscaledValue().longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("is too large");
        }
    }

    /** Currency units with no trailing zeros, e.g. {@code 2000 → 0.002}. */
    public static BigDecimal fromMicros(long micros) {
        BigDecimal units = BigDecimal.valueOf(micros, SCALE).stripTrailingZeros();
        return units.scale() < 0 ? units.setScale(0) : units;
    }
}
