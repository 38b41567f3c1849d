package dev.tollgate.gateway;

import java.util.UUID;

/**
 * What the gateway enforces for a plan. {@code rateLimitRequests} per {@code ratePeriodMillis} (0 = no rate limit),
 * {@code monthlyQuota} calls per calendar month in UTC (0 = no quota). Prices are micros, used by billing.
 */
public record PlanRule(UUID id, String type, long rateLimitRequests, long ratePeriodMillis, long monthlyQuota,
        long pricePerCallMicros, long includedCalls) {
}
