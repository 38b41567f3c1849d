package dev.tollgate.gateway.internal;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;

import dev.tollgate.platform.ProblemException;

/**
 * Applies the plan's monthly quota (calls per consumer and API per calendar month, UTC): {@code X-Quota-Limit},
 * {@code X-Quota-Remaining} and {@code X-Quota-Reset} on every response, 429 once it is used up. The unit taken is
 * noted on the call, so a later refusal (402, 413, ...) gives it back.
 */
final class QuotaEnforcement implements GatewayProcessor {

    /** The current month's bounds, recomputed only when a call falls outside them. */
    record Month(long start, long end) {
        static Month of(long nowMillis) {
            YearMonth month = YearMonth.from(Instant.ofEpochMilli(nowMillis).atZone(ZoneOffset.UTC));
            return new Month(month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli(),
                    month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
        }
    }

    private final FixedWindowCounters counters;
    private volatile Month month = new Month(0, 0);

    QuotaEnforcement(FixedWindowCounters counters) {
        this.counters = counters;
    }

    @Override
    public ProblemException apply(CallContext call) {
        long quota = call.plan.monthlyQuota();
        if (quota <= 0) {
            return null;
        }
        Month current = monthOf(call.nowMillis);
        LimitKeys.ConsumerOnApi key = new LimitKeys.ConsumerOnApi(call.key.ownerId(), call.api.id());
        FixedWindowCounters.Result result = counters.tryAcquire(key, quota, current.start, current.end);
        long reset = Math.max(1, (current.end - call.nowMillis + 999) / 1000);
        call.addResponseHeader("X-Quota-Limit", Long.toString(quota));
        call.addResponseHeader("X-Quota-Remaining", Long.toString(result.remaining()));
        call.addResponseHeader("X-Quota-Reset", Long.toString(reset));
        if (result.allowed()) {
            call.took(counters, key, result.windowStartMillis());
            return null;
        }
        return new ProblemException(429, "Quota Exceeded", "The plan's monthly quota of " + quota
                + " calls to '" + call.api.slug() + "' is used up; it renews at the start of next month (UTC).",
                Map.of("retry_after", reset), Map.of("Retry-After", Long.toString(reset)));
    }

    Month monthOf(long nowMillis) {
        Month current = month;
        if (nowMillis < current.start || nowMillis >= current.end) {
            current = Month.of(nowMillis);
            month = current;
        }
        return current;
    }

    long monthStart(long nowMillis) {
        return monthOf(nowMillis).start;
    }

    long monthEnd(long nowMillis) {
        return monthOf(nowMillis).end;
    }
}
