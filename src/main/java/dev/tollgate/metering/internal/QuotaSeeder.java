package dev.tollgate.metering.internal;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.tollgate.aiproxy.AiLimits;
import dev.tollgate.catalog.SubscriptionPeriods;
import dev.tollgate.gateway.CallLimits;
import dev.tollgate.metering.UsageQueries;
import io.quarkus.runtime.StartupEvent;

/**
 * At start-up, counts recorded calls toward the gateway's monthly quotas and toward subscriptions' included calls of
 * the current period, and recorded AI spend toward keys' monthly spend caps, so a restart resets none of them.
 */
@ApplicationScoped
class QuotaSeeder {

    private static final Logger LOG = Logger.getLogger(QuotaSeeder.class);

    void seed(@Observes StartupEvent ignored, UsageQueries usage, CallLimits limits, SubscriptionPeriods periods,
            AiLimits aiLimits) {
        long now = System.currentTimeMillis();
        Instant monthStart = YearMonth.now(ZoneOffset.UTC).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        var calls = usage.dispatchedSince(monthStart);
        calls.forEach(c -> limits.seedMonthlyCalls(c.consumerId(), c.apiId(), c.calls(), now));
        LOG.debugf("Seeded monthly quota counters of %d consumer/API pairs", calls.size());
        var included = periods.includedCallPeriods(Instant.ofEpochMilli(now));
        for (SubscriptionPeriods.IncludedCallsPeriod p : included) {
            long used = usage.dispatchedSince(p.consumerId(), p.apiId(), p.periodStart());
            limits.seedIncludedCalls(p.subscriptionId(), Math.min(used, p.includedCalls()),
                    p.periodStart().toEpochMilli(), p.periodEnd().toEpochMilli());
        }
        LOG.debugf("Seeded included-call counters of %d subscriptions", included.size());
        var spends = usage.aiSpendSince(monthStart);
        spends.forEach(s -> aiLimits.seedMonthlySpend(s.keyId(), s.micros(), now));
        LOG.debugf("Seeded the monthly AI spend of %d keys", spends.size());
    }
}
