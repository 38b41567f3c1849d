package dev.tollgate.gateway.internal;

import java.util.Map;

import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.TierValues;

/**
 * Applies the plan's rate limit (per key and API, in fixed windows of its period) and the account tier's hourly cap
 * (per consumer). Sets {@code X-RateLimit-Limit/Remaining/Reset} for whichever limit is nearer to exhaustion, and the
 * IETF {@code RateLimit-Policy} (every limit) and {@code RateLimit} fields; 429 with {@code Retry-After} when one is
 * exhausted. A call refused by the tier cap gives its plan window back; every unit taken is noted on the call, so a
 * later refusal gives it back too ({@link CallContext#giveBack()}). The API's owner and admins are not held to the tier
 * cap (their calls are not counted toward it either), so providers can test their own APIs; the plan's limit still
 * applies to them.
 */
final class RateLimiting implements GatewayProcessor {

    static final long HOUR_MILLIS = 3_600_000L;

    private final FixedWindowCounters counters;
    private final TierValues tiers;

    RateLimiting(FixedWindowCounters counters, TierValues tiers) {
        this.counters = counters;
        this.tiers = tiers;
    }

    @Override
    public ProblemException apply(CallContext call) {
        long now = call.nowMillis;
        long planLimit = call.plan.rateLimitRequests();
        long planPeriod = call.plan.ratePeriodMillis();
        String tier = call.account == null ? TierValues.DEFAULT_TIER : call.account.tier();
        boolean exempt = call.key.ownerId().equals(call.api.ownerId())
                || (call.account != null && call.account.admin());
        long tierLimit = exempt ? 0 : tiers.of(tier);

        FixedWindowCounters.Result plan = null;
        if (planLimit > 0) {
            LimitKeys.KeyOnApi planKey = new LimitKeys.KeyOnApi(call.key.id(), call.api.id());
            long planStart = now - Math.floorMod(now, planPeriod);
            plan = counters.tryAcquire(planKey, planLimit, planStart, planStart + planPeriod);
            if (plan.allowed()) {
                call.took(counters, planKey, plan.windowStartMillis());
            }
        }
        FixedWindowCounters.Result hourly = null;
        if (tierLimit > 0 && (plan == null || plan.allowed())) {
            long hourStart = now - Math.floorMod(now, HOUR_MILLIS);
            LimitKeys.Consumer consumer = new LimitKeys.Consumer(call.key.ownerId());
            hourly = counters.tryAcquire(consumer, tierLimit, hourStart, hourStart + HOUR_MILLIS);
            if (hourly.allowed()) {
                call.took(counters, consumer, hourly.windowStartMillis());
            } else {
                call.giveBack();
            }
        }
        if (plan == null && hourly == null) {
            return null;
        }
        StringBuilder policy = new StringBuilder(48);
        if (plan != null) {
            policy.append("\"plan\";q=").append(planLimit).append(";w=").append(planPeriod / 1000);
        }
        if (tierLimit > 0) {
            if (policy.length() > 0) {
                policy.append(", ");
            }
            policy.append("\"tier\";q=").append(tierLimit).append(";w=").append(HOUR_MILLIS / 1000);
        }
        boolean planBinds = hourly == null
                || (plan != null && (!plan.allowed() || plan.remaining() <= hourly.remaining()));
        FixedWindowCounters.Result binding = planBinds ? plan : hourly;
        long reset = Math.max(1, (binding.windowEndMillis() - now + 999) / 1000);
        call.addResponseHeader("X-RateLimit-Limit", Long.toString(binding.limit()));
        call.addResponseHeader("X-RateLimit-Remaining", Long.toString(binding.remaining()));
        call.addResponseHeader("X-RateLimit-Reset", Long.toString(reset));
        call.addResponseHeader("RateLimit-Policy", policy.toString());
        call.addResponseHeader("RateLimit",
                (planBinds ? "\"plan\"" : "\"tier\"") + ";r=" + binding.remaining() + ";t=" + reset);
        if (binding.allowed()) {
            return null;
        }
        String detail = planBinds
                ? "The plan's rate limit of " + planLimit + " requests per " + period(planPeriod) + " for this key on '"
                        + call.api.slug() + "' is used up; retry in " + reset + " s."
                : "The " + tier + " tier's limit of " + tierLimit + " gateway calls per hour is used up; retry in "
                        + reset + " s, or move to a higher tier.";
        return new ProblemException(429, "Too Many Requests", detail, Map.of("retry_after", reset),
                Map.of("Retry-After", Long.toString(reset)));
    }

    private static String period(long millis) {
        if (millis == 1000) {
            return "second";
        }
        if (millis == 60_000) {
            return "minute";
        }
        if (millis == HOUR_MILLIS) {
            return "hour";
        }
        if (millis == 24 * HOUR_MILLIS) {
            return "day";
        }
        return (millis / 1000) + " s";
    }
}
