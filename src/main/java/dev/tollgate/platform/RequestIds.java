package dev.tollgate.platform;

import java.security.SecureRandom;
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
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RequestIds() {
    }

    /** A client-supplied id we are willing to echo: 1–128 characters of letters, digits and {@code ._:-}. */
    public static boolean isSane(String candidate) {
        return candidate != null && SANE.matcher(candidate).matches();
    }

    /** A new 128-bit random id, 32 hex characters. */
    public static String generate() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        char[] out = new char[32];
        for (int i = 0; i < 16; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[bytes[i] & 0xf];
        }
        return new String(out);
    }

    /** The id of the request being handled, or {@code null} outside a request. */
    public static String of(RoutingContext context) {
        return context == null ? null : context.get(CONTEXT_KEY);
    }
}
