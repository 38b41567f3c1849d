package dev.tollgate.billing.stripe;

import dev.tollgate.platform.ProblemException;

/** Stripe definitely refused a request: nothing happened there. The detail is ours, never Stripe's text. */
public class StripeRefused extends ProblemException {

    private final String code;

    StripeRefused(int status, String title, String detail, String code) {
        super(status, title, detail);
        this.code = code;
    }

    /** Stripe's error code ({@code card_declined}, {@code resource_missing}, …), or null. */
    public String code() {
        return code;
    }
}
