package dev.tollgate.hosted.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Keeps a call's secrets out of what leaves the sandbox: every occurrence of a secret's value (of 4 characters or
 * more; shorter ones would blank ordinary words) in an error message or a console line becomes {@code [env.NAME]}.
 * The code can still encode a secret before printing it; this guards against the honest mistake, not the determined
 * author, who owns the secret anyway.
 */
final class Secrets {

    static final Secrets NONE = new Secrets(Map.of());

    private final List<Map.Entry<String, String>> values;

    Secrets(Map<String, String> env) {
        // longest first, so a secret that contains another is replaced whole
        this.values = env.entrySet().stream().filter(e -> e.getValue() != null && e.getValue().length() >= 4)
                .sorted(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getValue().length()).reversed())
                .map(e -> Map.entry(e.getKey(), e.getValue())).toList();
    }

    String redact(String text) {
        String redacted = text;
        for (Map.Entry<String, String> secret : values) {
            redacted = redacted.replace(secret.getValue(), "[env." + secret.getKey() + "]");
        }
        return redacted;
    }
}
