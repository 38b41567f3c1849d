package dev.tollgate.portal.web;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the consumer pages (dashboard, keys, usage, billing, profile) show money and times: UTC, no locale guessing. */
final class ConsumerFormat {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private ConsumerFormat() {
    }

    /**
     * {@code $1.23}, or {@code 1.23 EUR} for other currencies; at least two decimals and as many more (up to six) as
     * the amount has, so that a charge of a fraction of a cent does not show as {@code $0.00}.
     */
    static String money(BigDecimal amount, String currency) {
        if (amount == null) {
            return "—";
        }
        BigDecimal abs = amount.abs().stripTrailingZeros();
        abs = abs.setScale(Math.min(6, Math.max(2, abs.scale())), RoundingMode.HALF_UP);
        String sign = amount.signum() < 0 ? "−" : "";
        if (currency == null || currency.equalsIgnoreCase("usd")) {
            return sign + "$" + abs.toPlainString();
        }
        return sign + abs.toPlainString() + " " + currency.toUpperCase(Locale.ROOT);
    }

    static String date(Instant at) {
        return at == null ? null : DATE.format(at);
    }

    static String dateTime(Instant at) {
        return at == null ? null : DATE_TIME.format(at);
    }
}
