package dev.tollgate.catalog;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A plan of an API; prices in currency units. {@code rate_limit} and {@code monthly_quota} are null when absent. */
public record PlanView(UUID id, UUID apiId, String name, String type, BigDecimal pricePerCall, BigDecimal monthlyPrice,
        long includedCalls, RateLimit rateLimit, Long monthlyQuota, boolean isDefault, Instant createdAt,
        Instant updatedAt) {

    /** {@code requests} per {@code period} (second, minute, hour or day). */
    public record RateLimit(long requests, String period) {
    }
}
