package dev.tollgate.catalog;

import java.time.Instant;
import java.util.UUID;

/** A consumer's subscription to one plan of an API. */
public record SubscriptionView(UUID id, UUID consumerId, UUID apiId, String apiSlug, String apiName, UUID planId,
        String planName, String planType, String status, String gatewayUrl, Instant createdAt, Instant cancelledAt) {
}
