package dev.tollgate.billing.stripe;

import dev.tollgate.platform.ProblemException;

/**
 * Stripe did not answer a request in time, or failed in a way after which it may or may not have done it (timeouts,
 * connection resets, 5xx, 409 and 429 after the retries). Money may have moved: whatever depends on it stays pending
 * until a retry with the same idempotency key settles it.
 */
public class StripeOutcomeUnknown extends ProblemException {

    StripeOutcomeUnknown(String detail) {
        super(504, "Gateway Timeout", detail);
    }
}
