package dev.tollgate.billing;

import dev.tollgate.platform.ProblemException;

/**
 * Amounts and addresses as Stripe takes them. Requests to Stripe themselves go through
 * {@link dev.tollgate.billing.stripe.StripeApi}.
 */
final class StripeFormats {

    private StripeFormats() {
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
}
