package dev.tollgate.gateway;

import java.util.UUID;

/**
 * Read access to the gateway's in-memory limit counters (for usage reports) and their seeding at start-up. Counters
 * are per node; reads are cheap and never touch the database.
 */
public interface CallLimits {

    /** Window use of one counter; {@code limit} 0 means none applies. */
    record Use(long limit, long used, long remaining, long resetSeconds) {
    }

    /** The current window of a plan's rate limit for one key on one API. */
    Use planWindow(UUID keyId, UUID apiId, long limit, long periodMillis, long nowMillis);

    /** The current hour of a consumer's tier cap. */
    Use tierWindow(UUID consumerId, String tier, long nowMillis);

    /** The current month of a plan's quota for one consumer on one API. */
    Use quota(UUID consumerId, UUID apiId, long quota, long nowMillis);

    /** Counts calls already made this month (from recorded usage) toward quotas; used at start-up. */
    void seedMonthlyCalls(UUID consumerId, UUID apiId, long calls, long nowMillis);

    /** Counts calls already made in a subscription's period toward its included calls; used at start-up. */
    void seedIncludedCalls(UUID subscriptionId, long calls, long periodStartMillis, long periodEndMillis);
}
