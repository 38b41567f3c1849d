package dev.tollgate.catalog;

import java.time.Instant;
import java.util.UUID;

/**
 * A consumer's subscription to one plan of an API. {@code status} is {@code active}, {@code past_due} (a renewal
 * failed; calls still pass until the grace period ends) or {@code cancelled}; the period fields are set on
 * subscription plans.
 */
public record SubscriptionView(UUID id, UUID consumerId, UUID apiId, String apiSlug, String apiName, UUID planId,
        String planName, String planType, String status, String gatewayUrl, Instant createdAt, Instant cancelledAt,
        Instant currentPeriodStart, Instant currentPeriodEnd, Instant pastDueSince) {
}
