package dev.tollgate.admin.internal;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes secrets out of what the system endpoints show: configuration values by their property's name and by how
 * they look, log messages by how their parts look. Errs on the side of hiding: a value shown as {@value #REDACTED}
 * that was not a secret costs little, the other way round a leak.
 */
public final class Redaction {

    public static final String REDACTED = "[redacted]";

    /** Parts of a property name that mark its value secret. */
    private static final List<String> SECRET_NAMES = List.of("password", "passwd", "passphrase", "secret", "key",
            "token", "credential", "private", "dsn", "cookie", "salt", "signature");

    /**
     * Name endings that hold a duration, a count or a switch about a secret rather than the secret itself
     * ({@code tollgate.auth.access-token-ttl}); their values are still checked for how they look.
     */
    private static final List<String> HARMLESS_ENDINGS = List.of("-ttl", "-timeout", "-interval", "-window",
            "-enabled", "-header", "-length", "-prefix");

    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]{4,}");
    private static final Pattern JWT = Pattern.compile("\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*");
    /** Stripe (sk_/rk_/pk_ live and test, whsec_), our keys and refresh tokens (tg_, rt_), vendors' sk-… keys. */
    private static final Pattern PREFIXED_KEY = Pattern.compile(
            "\\b((?:sk|rk|pk)_(?:live|test)_|whsec_|tg_|rt_|sk-(?:ant-|proj-)?)[A-Za-z0-9_-]{6,}");
    /** user:password@ in a URL. */
    private static final Pattern URL_USERINFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/\\s@:]+:[^/\\s@]*@");
    /** name=value, name: value, "name":"value" where the name says secret (query strings, headers, JSON, props). */
    private static final Pattern SECRET_PAIR = Pattern.compile("(?i)([\\w.-]*(?:password|passwd|secret|token"
            + "|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credential|authorization|cookie)[\\w.-]*"
            + "[\"']?\\s*[:=]\\s*[\"']?)([^\\s\"',&;)}]+)");

    private Redaction() {
    }

    /** Whether a property's name says its value is a secret. */
    public static boolean secretName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        String last = lower.substring(lower.lastIndexOf('.') + 1);
        for (String ending : HARMLESS_ENDINGS) {
            if (last.endsWith(ending)) {
                return false;
            }
        }
        for (String part : SECRET_NAMES) {
            if (lower.contains(part)) {
                return true;
            }
        }
        return false;
    }

    /** A property's value as it may be shown: {@value #REDACTED} for secrets by name, else {@link #text}. */
    public static String property(String name, String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        return secretName(name) ? REDACTED : text(value);
    }

    /** The text with every part that looks like a secret replaced by {@value #REDACTED}. */
    public static String text(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = replace(BEARER, text, m -> m.group(1) + " " + REDACTED);
        out = replace(JWT, out, m -> REDACTED);
        out = replace(PREFIXED_KEY, out, m -> REDACTED);
        out = replace(URL_USERINFO, out, m -> m.group(1) + REDACTED + "@");
        out = replace(SECRET_PAIR, out, m -> m.group(2).equals(REDACTED) ? m.group() : m.group(1) + REDACTED);
        return out;
    }

    private static String replace(Pattern pattern, String text, java.util.function.Function<Matcher, String> with) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        do {
            matcher.appendReplacement(out, Matcher.quoteReplacement(with.apply(matcher)));
        } while (matcher.find());
        matcher.appendTail(out);
        return out.toString();
    }
}
