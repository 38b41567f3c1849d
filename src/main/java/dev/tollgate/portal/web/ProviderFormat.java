package dev.tollgate.portal.web;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import dev.tollgate.platform.Money;

/** Money, times and Chart.js configurations as the provider pages show them. */
final class ProviderFormat {

    static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("MM-dd HH:00", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private ProviderFormat() {
    }

    static String micros(long micros, String currency) {
        return PortalFormat.money(units(micros), currency);
    }

    /** Micros as currency units, for charts. */
    static BigDecimal units(long micros) {
        return micros < 0 ? Money.fromMicros(-micros).negate() : Money.fromMicros(micros);
    }

    static String time(Instant at) {
        return at == null ? "—" : MINUTE.format(at);
    }
}
