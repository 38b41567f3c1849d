package dev.tollgate.metering.rollup;

/**
 * The endpoint a call is rolled up under: {@code "METHOD /path"} with the gateway's {@code /gw/{slug}} prefix removed
 * and id-like segments (numbers, UUIDs, long hex or mixed letter-and-digit tokens) replaced by {@code {id}}, so that
 * {@code GET /users/42} and {@code GET /users/43} are one endpoint. At most 300 characters.
 */
public final class Endpoints {

    static final int MAX_LENGTH = 300;
    /** What calls beyond an API's distinct endpoints per minute are rolled up as (see {@link RollupFolder}). */
    public static final String OTHER = "* /{other}";
    private static final String GATEWAY = "/gw/";

    private Endpoints() {
    }

    public static String template(String method, String path) {
        String rest = withinApi(path);
        StringBuilder out = new StringBuilder(method.length() + 1 + rest.length()).append(method).append(' ');
        int i = 0;
        while (i < rest.length()) {
            int next = rest.indexOf('/', i + 1);
            int end = next < 0 ? rest.length() : next;
            String segment = rest.substring(i, end); // with its leading '/'
            out.append(segment.length() > 1 && idLike(segment, 1) ? "/{id}" : segment);
            i = end;
        }
        if (rest.isEmpty()) {
            out.append('/');
        }
        return out.length() > MAX_LENGTH ? out.substring(0, MAX_LENGTH) : out.toString();
    }

    /** The path without the gateway's {@code /gw/{slug}} prefix: "/" at least. */
    static String withinApi(String path) {
        if (path.startsWith(GATEWAY)) {
            int slugEnd = path.indexOf('/', GATEWAY.length());
            return slugEnd < 0 ? "/" : path.substring(slugEnd);
        }
        return path;
    }

    /** Digits only; a UUID; 16+ hex digits; or 12+ characters mixing letters and digits. */
    static boolean idLike(String segment, int from) {
        int length = segment.length() - from;
        int digits = 0;
        int letters = 0;
        int hex = 0;
        int dashes = 0;
        for (int i = from; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
                hex++;
            } else if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
                letters++;
                hex++;
            } else if ((c >= 'g' && c <= 'z') || (c >= 'G' && c <= 'Z')) {
                letters++;
            } else if (c == '-' || c == '_') {
                dashes++;
            } else {
                return false;
            }
        }
        if (digits == length) {
            return true;
        }
        if (length == 36 && dashes == 4 && hex == 32) {
            return true;
        }
        if (hex == length && length >= 16) {
            return true;
        }
        return length >= 12 && digits > 0 && letters > 0;
    }
}
