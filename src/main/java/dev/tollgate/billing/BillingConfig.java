package dev.tollgate.billing;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Charging ({@code tollgate.billing.*}). */
@ConfigMapping(prefix = "tollgate.billing")
public interface BillingConfig {

    /** The platform's share of each pay-per-call price, in percent ({@code TOLLGATE_PLATFORM_FEE_PERCENT}). */
    @WithDefault("20")
    int platformFeePercent();

    /** The smallest payout a provider may ask for, in currency units ({@code TOLLGATE_MIN_PAYOUT}). */
    @WithDefault("10")
    java.math.BigDecimal minPayout();

    /**
     * Monthly prices of the paid account tiers sold through Stripe ({@code TOLLGATE_TIER_PRICES}), e.g.
     * {@code pro:29,enterprise:299}.
     */
    @WithDefault("pro:29,enterprise:299")
    String tierPrices();

    /** How many calls' worth of credit a node holds out of a wallet at a time. */
    @WithDefault("100")
    int leaseCalls();

    /**
     * Most calls' worth of one consumer's charges a node keeps unwritten; beyond it the consumer's calls wait for the
     * ledger (this bounds what a killed node leaves unbilled).
     */
    @WithDefault("1000")
    int maxUnsettledCalls();

    /** A hold not renewed for this long (its node is gone) is released by any node. */
    @WithDefault("5m")
    Duration holdTtl();

    /** Longest time a charge waits in memory before it is written to the ledger. */
    @WithDefault("200ms")
    Duration settleInterval();

    /** Credit held for a consumer who made no call for this long goes back to their wallet. */
    @WithDefault("60s")
    Duration idleRelease();

    /**
     * A wallet's low-balance threshold when its owner set none, in percent of their last top-up or grant
     * ({@code TOLLGATE_LOW_BALANCE_PERCENT}; 0: no alert unless the owner sets a threshold).
     */
    @WithDefault("10")
    int lowBalancePercent();
}
