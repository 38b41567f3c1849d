package dev.tollgate.portal.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How the consumer pages (dashboard, keys, usage, billing, profile) show times: UTC, no locale guessing. */
final class ConsumerFormat {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private ConsumerFormat() {
    }

    static String date(Instant at) {
        return at == null ? null : DATE.format(at);
    }

    static String dateTime(Instant at) {
        return at == null ? null : DATE_TIME.format(at);
    }
}
