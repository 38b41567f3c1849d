package dev.tollgate.billing.stripe;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How Tollgate talks to Stripe ({@code tollgate.stripe.*}); the keys themselves are {@code STRIPE_*}. */
@ConfigMapping(prefix = "tollgate.stripe")
public interface StripeConfig {

    /** Longest wait for a connection to Stripe ({@code TOLLGATE_STRIPE_CONNECT_TIMEOUT}). */
    @WithDefault("5s")
    Duration connectTimeout();

    /** Longest wait for Stripe's answer to a request ({@code TOLLGATE_STRIPE_READ_TIMEOUT}). */
    @WithDefault("20s")
    Duration readTimeout();

    /**
     * How often a request that failed on the network (or that Stripe answered with 409, 429 or 5xx) is sent again,
     * with the same idempotency key ({@code TOLLGATE_STRIPE_MAX_NETWORK_RETRIES}).
     */
    @WithDefault("2")
    int maxNetworkRetries();
}
