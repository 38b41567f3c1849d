package dev.tollgate.platform;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import io.vertx.ext.web.RoutingContext;

/**
 * The request id that ties a response, its log lines and (later) its usage event and charge together. Taken from
 * a sane client {@code X-Request-ID}, generated otherwise; stored on the routing context and in the logging MDC.
 */
public final class RequestIds {

    public static final String HEADER = "X-Request-ID";
    public static final String CONTEXT_KEY = "tollgate.request-id";
    public static final String MDC_KEY = "request_id";

    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RequestIds() {
    }

    /** A client-supplied id we are willing to echo: 1–128 characters of letters, digits and {@code ._:-}. */
    public static boolean isSane(String candidate) {
        return candidate != null && SANE.matcher(candidate).matches();
    }

    /**
     * A new 128-bit random id, 32 hex characters. Unique, not secret (clients may choose their own), so it comes from
     * the per-thread generator: SecureRandom would cost a locked read of /dev/urandom on every gateway call.
     */
    public static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] out = new char[32];
        hex(random.nextLong(), out, 0);
        hex(random.nextLong(), out, 16);
        return new String(out);
    }

    /**
     * A new time-ordered id, 32 hex characters: 48 bits of epoch milliseconds, then 80 random bits. Ids made later
     * sort later, so a table keyed by them grows at its end instead of at random places of its index.
     */
    public static String generateOrdered() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] out = new char[32];
        hex((System.currentTimeMillis() << 16) | (random.nextInt() & 0xffff), out, 0);
        hex(random.nextLong(), out, 16);
        return new String(out);
    }

    private static void hex(long value, char[] out, int offset) {
        for (int i = 15; i >= 0; i--) {
            out[offset + i] = HEX[(int) (value & 0xf)];
            value >>>= 4;
        }
    }

    /** The id of the request being handled, or {@code null} outside a request. */
    public static String of(RoutingContext context) {
        return context == null ? null : context.get(CONTEXT_KEY);
    }
}
