package dev.tollgate.catalog;

import java.util.UUID;

/**
 * Charges periods of subscription plans; implemented by billing. Runs in the caller's transaction, so a
 * subscription and its first charge are written together or not at all.
 */
public interface SubscriptionBilling {

    /**
     * Charges period {@code period} of a subscription (at most once per subscription and period).
     *
     * @throws dev.tollgate.platform.ProblemException 402 when the consumer's wallet does not cover it
     */
    void chargePeriod(UUID subscriptionId, int period, UUID consumerId, UUID providerId, UUID apiId, long micros);
}
