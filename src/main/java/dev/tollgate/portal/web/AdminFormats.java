package dev.tollgate.portal.web;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How the admin and monitoring pages write figures (money: {@link PortalFormat}):
 * times in UTC, fractions as percentages, sizes in MB. Values are formatted in Java so the templates only print them.
 */
final class AdminFormats {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private AdminFormats() {
    }

    static String time(Instant at) {
        return at == null ? "—" : TIME.format(at);
    }

    /** A fraction (0–1) as a percentage with one decimal, or a dash when unknown. */
    static String percent(Double fraction) {
        if (fraction == null || fraction.isNaN()) {
            return "—";
        }
        return BigDecimal.valueOf(fraction * 100).setScale(1, RoundingMode.HALF_UP).toPlainString() + " %";
    }

    static String megabytes(Long bytes) {
        if (bytes == null) {
            return "—";
        }
        return BigDecimal.valueOf(bytes).divide(BigDecimal.valueOf(1024L * 1024), 0, RoundingMode.HALF_UP)
                .toPlainString() + " MB";
    }

    /** {@code 3 d 4 h}, {@code 2 h 5 min}, {@code 40 s}. */
    static String duration(long seconds) {
        if (seconds >= 86_400) {
            return seconds / 86_400 + " d " + seconds % 86_400 / 3600 + " h";
        }
        if (seconds >= 3600) {
            return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
        }
        if (seconds >= 60) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds + " s";
    }

    static String query(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }

    static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    /** A path back into the admin pages (never another site): the form's {@code back} field or the default. */
    static String back(String back, String fallback) {
        if (back == null || !back.startsWith("/admin") || back.contains("//")) {
            return fallback;
        }
        return Pages.sitePath(back, fallback);
    }
}
