package dev.tollgate.gateway.internal;

import java.util.UUID;

import jakarta.inject.Singleton;

import dev.tollgate.gateway.CallLimits;
import dev.tollgate.gateway.GatewayConfig;
import dev.tollgate.platform.TierValues;

/**
 * The gateway's counters (rate-limit windows and monthly quotas) and the processors that use them. Windows that
 * ended are dropped every minute.
 */
@Singleton
class GatewayLimits implements CallLimits {

    final FixedWindowCounters rateWindows = new FixedWindowCounters();
    final FixedWindowCounters quotaWindows = new FixedWindowCounters();
    final TierValues tiers;
    final RateLimiting rateLimiting;
    final QuotaEnforcement quotas;
    final FixedWindowCounters includedWindows = new FixedWindowCounters();
    final Pricing pricing = new Pricing(includedWindows);

    GatewayLimits(GatewayConfig config) {
        this.tiers = TierValues.parse("TOLLGATE_TIER_HOURLY_LIMITS", config.tierHourlyLimits());
        this.rateLimiting = new RateLimiting(rateWindows, tiers);
        this.quotas = new QuotaEnforcement(quotaWindows);
    }

    @Override
    public Use planWindow(UUID keyId, UUID apiId, long limit, long periodMillis, long nowMillis) {
        long start = nowMillis - Math.floorMod(nowMillis, periodMillis);
        long used = rateWindows.used(new LimitKeys.KeyOnApi(keyId, apiId), start);
        return new Use(limit, used, Math.max(0, limit - used), seconds(start + periodMillis - nowMillis));
    }

    @Override
    public Use tierWindow(UUID consumerId, String tier, long nowMillis) {
        long limit = tiers.of(tier);
        long start = nowMillis - Math.floorMod(nowMillis, RateLimiting.HOUR_MILLIS);
        long used = rateWindows.used(new LimitKeys.Consumer(consumerId), start);
        return new Use(limit, used, limit == 0 ? 0 : Math.max(0, limit - used),
                seconds(start + RateLimiting.HOUR_MILLIS - nowMillis));
    }

    @Override
    public Use quota(UUID consumerId, UUID apiId, long quota, long nowMillis) {
        long start = quotas.monthStart(nowMillis);
        long used = quotaWindows.used(new LimitKeys.ConsumerOnApi(consumerId, apiId), start);
        return new Use(quota, used, Math.max(0, quota - used), seconds(quotas.monthEnd(nowMillis) - nowMillis));
    }

    @Override
    public void seedMonthlyCalls(UUID consumerId, UUID apiId, long calls, long nowMillis) {
        quotaWindows.seed(new LimitKeys.ConsumerOnApi(consumerId, apiId), quotas.monthStart(nowMillis),
                quotas.monthEnd(nowMillis), calls);
    }

    @Override
    public void seedIncludedCalls(UUID subscriptionId, long calls, long periodStartMillis, long periodEndMillis) {
        includedWindows.seed(new LimitKeys.SubscriptionPeriod(subscriptionId), periodStartMillis, periodEndMillis,
                calls);
    }

    void evictEnded(long nowMillis) {
        rateWindows.evictEnded(nowMillis);
        quotaWindows.evictEnded(nowMillis);
        includedWindows.evictEnded(nowMillis);
    }

    private static long seconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }
}
