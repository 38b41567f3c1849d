package dev.tollgate.billing;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.stripe.StripeClient;

import dev.tollgate.platform.ProblemException;

/** Stripe's client and webhook secret from {@code STRIPE_*}; 503 problems while they are not configured. */
@ApplicationScoped
public class StripeAccess {

    private final Optional<String> secretKey;
    private final Optional<String> webhookSecret;
    private final String apiBase;
    private volatile StripeClient client;

    StripeAccess(@ConfigProperty(name = "stripe.secret-key") Optional<String> secretKey,
            @ConfigProperty(name = "stripe.webhook-secret") Optional<String> webhookSecret,
            @ConfigProperty(name = "stripe.api-base", defaultValue = "https://api.stripe.com") String apiBase) {
        this.secretKey = secretKey.filter(s -> !s.isBlank());
        this.webhookSecret = webhookSecret.filter(s -> !s.isBlank());
        this.apiBase = apiBase;
    }

    /** The client, or a 503 problem saying payments are not configured. */
    public StripeClient client() {
        String key = secretKey.orElseThrow(StripeAccess::notConfigured);
        if (client == null) {
            client = StripeClient.builder().setApiKey(key).setApiBase(apiBase).setMaxNetworkRetries(2).build();
        }
        return client;
    }

    public String webhookSecret() {
        return webhookSecret.orElseThrow(StripeAccess::notConfigured);
    }

    /** Currencies without minor units (Stripe's list). */
    static final java.util.Set<String> ZERO_DECIMAL = java.util.Set.of("bif", "clp", "djf", "gnf", "jpy", "kmf",
            "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf");

    /** Decimals of the currency's minor unit as Stripe counts amounts (2, or 0 for yen and the like). */
    static int minorDigits(String currency) {
        return ZERO_DECIMAL.contains(currency) ? 0 : 2;
    }

    /** Micros of an amount Stripe gives in the currency's minor unit. */
    static long microsOfMinor(long minor, String currency) {
        return Math.multiplyExact(minor, minorDigits(currency) == 0 ? 1_000_000L : 10_000L);
    }

    /** Adds an error unless the value is an absolute http(s) URL (where Stripe sends the user back to). */
    static void checkUrl(java.util.List<ProblemException.FieldError> errors, String field, String value) {
        try {
            java.net.URI uri = value == null ? null : java.net.URI.create(value);
            if (uri == null || uri.getHost() == null
                    || !("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))) {
                errors.add(new ProblemException.FieldError(field, "must be an absolute http(s) URL"));
            }
        } catch (IllegalArgumentException e) {
            errors.add(new ProblemException.FieldError(field, "must be an absolute http(s) URL"));
        }
    }

    /** A 502 problem for a request Stripe refused or did not answer. */
    static ProblemException refused(String what, Exception e) {
        return new ProblemException(502, "Bad Gateway", "Stripe could not " + what + ": " + e.getMessage());
    }

    private static ProblemException notConfigured() {
        return new ProblemException(503, "Service Unavailable", "Payments are not configured on this Tollgate: "
                + "set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET.");
    }
}
