package dev.tollgate.gateway.internal;

import org.junit.jupiter.api.Test;

import dev.tollgate.gateway.AccountRule;
import dev.tollgate.gateway.PlanRule;
import dev.tollgate.platform.ProblemException;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitingTest {

    /** 10:00:00.250 UTC on some day: a minute window ends 59.75 s later, the hour 3599.75 s later. */
    private static final long NOW = 1_800_000_000_000L - Math.floorMod(1_800_000_000_000L, 3_600_000L) + 250;

    private final FixedWindowCounters counters = new FixedWindowCounters();

    private RateLimiting limiting(String tiers) {
        return new RateLimiting(counters, dev.tollgate.platform.TierValues.parse("TOLLGATE_TIER_HOURLY_LIMITS", tiers));
    }

    @Test
    void without_plan_limit_or_tier_cap_nothing_is_counted_or_said() {
        CallContext call = Calls.admitted(Calls.plan(0, 0, 0), null, NOW);
        assertThat(limiting("free:0").apply(call)).isNull();
        assertThat(call.responseHeaders).isEmpty();
        assertThat(counters.size()).isZero();
    }

    @Test
    void the_plan_limit_lets_exactly_n_through_per_window_then_429_with_retry_after() {
        RateLimiting limiting = limiting("free:0");
        PlanRule plan = Calls.plan(3, 60_000, 0);
        for (int i = 1; i <= 3; i++) {
            CallContext call = Calls.admitted(plan, null, NOW);
            assertThat(limiting.apply(call)).isNull();
            assertThat(call.responseHeader("X-RateLimit-Limit")).isEqualTo("3");
            assertThat(call.responseHeader("X-RateLimit-Remaining")).isEqualTo(Integer.toString(3 - i));
            assertThat(call.responseHeader("X-RateLimit-Reset")).isEqualTo("60");
            assertThat(call.responseHeader("RateLimit-Policy")).isEqualTo("\"plan\";q=3;w=60");
            assertThat(call.responseHeader("RateLimit")).isEqualTo("\"plan\";r=" + (3 - i) + ";t=60");
        }
        CallContext refused = Calls.admitted(plan, null, NOW + 1_000);
        ProblemException problem = limiting.apply(refused);
        assertThat(problem.status()).isEqualTo(429);
        assertThat(problem.headers()).containsEntry("Retry-After", "59");
        assertThat(problem.detail()).contains("3 requests per minute");
        assertThat(refused.responseHeader("X-RateLimit-Remaining")).isEqualTo("0");

        CallContext nextMinute = Calls.admitted(plan, null, NOW + 60_000);
        assertThat(limiting.apply(nextMinute)).isNull();
        assertThat(nextMinute.responseHeader("X-RateLimit-Remaining")).isEqualTo("2");
    }

    @Test
    void the_tier_cap_counts_and_binds_when_it_is_nearer_and_gives_the_plan_token_back_when_it_refuses() {
        RateLimiting limiting = limiting("free:2,pro:100");
        PlanRule plan = Calls.plan(10, 1_000, 0);
        CallContext first = Calls.admitted(plan, null, NOW);
        assertThat(limiting.apply(first)).isNull();
        assertThat(first.responseHeader("RateLimit-Policy")).isEqualTo("\"plan\";q=10;w=1, \"tier\";q=2;w=3600");
        assertThat(first.responseHeader("X-RateLimit-Limit")).isEqualTo("2");
        assertThat(first.responseHeader("X-RateLimit-Remaining")).isEqualTo("1");
        assertThat(first.responseHeader("X-RateLimit-Reset")).isEqualTo("3600");
        assertThat(first.responseHeader("RateLimit")).startsWith("\"tier\";r=1;");

        assertThat(limiting.apply(Calls.admitted(plan, null, NOW))).isNull();
        ProblemException problem = limiting.apply(Calls.admitted(plan, null, NOW));
        assertThat(problem.status()).isEqualTo(429);
        assertThat(problem.detail()).contains("free tier's limit of 2");
        long planWindow = NOW - Math.floorMod(NOW, 1_000L);
        assertThat(counters.used(new LimitKeys.KeyOnApi(Calls.KEY, Calls.API), planWindow)).isEqualTo(2);

        CallContext pro = Calls.admitted(plan, new AccountRule(Calls.CONSUMER, "pro", false), NOW);
        assertThat(limiting.apply(pro)).isNull();
        assertThat(pro.responseHeader("RateLimit-Policy")).endsWith("\"tier\";q=100;w=3600");
    }

    @Test
    void an_unknown_tier_gets_the_free_cap_and_a_tier_of_0_has_none() {
        RateLimiting limiting = limiting("free:1,enterprise:0");
        PlanRule plan = Calls.plan(0, 0, 0);
        AccountRule enterprise = new AccountRule(Calls.CONSUMER, "enterprise", false);
        for (int i = 0; i < 5; i++) {
            CallContext call = Calls.admitted(plan, enterprise, NOW);
            assertThat(limiting.apply(call)).isNull();
            assertThat(call.responseHeaders).isEmpty();
        }
        AccountRule legacy = new AccountRule(Calls.CONSUMER, "legacy", false);
        assertThat(limiting.apply(Calls.admitted(plan, legacy, NOW))).isNull();
        assertThat(limiting.apply(Calls.admitted(plan, legacy, NOW)).status()).isEqualTo(429);
    }

    @Test
    void a_call_refused_later_gives_back_its_plan_and_tier_units() {
        RateLimiting limiting = limiting("free:2");
        PlanRule plan = Calls.plan(2, 60_000, 0);
        for (int i = 0; i < 5; i++) {
            CallContext refusedLater = Calls.admitted(plan, null, NOW);
            assertThat(limiting.apply(refusedLater)).isNull();
            refusedLater.giveBack();
        }
        long planWindow = NOW - Math.floorMod(NOW, 60_000L);
        long hour = NOW - Math.floorMod(NOW, RateLimiting.HOUR_MILLIS);
        assertThat(counters.used(new LimitKeys.KeyOnApi(Calls.KEY, Calls.API), planWindow)).isZero();
        assertThat(counters.used(new LimitKeys.Consumer(Calls.CONSUMER), hour)).isZero();
        assertThat(limiting.apply(Calls.admitted(plan, null, NOW))).isNull();
        CallContext last = Calls.admitted(plan, null, NOW);
        assertThat(limiting.apply(last)).isNull();
        assertThat(last.responseHeader("X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(limiting.apply(Calls.admitted(plan, null, NOW)).status()).isEqualTo(429);
    }

    @Test
    void the_apis_owner_and_admins_skip_the_tier_cap_but_not_the_plans_limit() {
        RateLimiting limiting = limiting("free:1");
        PlanRule plan = Calls.plan(3, 60_000, 0);
        for (int i = 0; i < 3; i++) {
            CallContext own = Calls.admitted(plan, null, NOW);
            own.api = Calls.api("svc", Calls.CONSUMER, true, 0, false, plan, true);
            assertThat(limiting.apply(own)).isNull();
            assertThat(own.responseHeader("RateLimit-Policy")).isEqualTo("\"plan\";q=3;w=60");
        }
        CallContext own = Calls.admitted(plan, null, NOW);
        own.api = Calls.api("svc", Calls.CONSUMER, true, 0, false, plan, true);
        assertThat(limiting.apply(own).detail()).contains("plan's rate limit of 3");
        long hour = NOW - Math.floorMod(NOW, RateLimiting.HOUR_MILLIS);
        assertThat(counters.used(new LimitKeys.Consumer(Calls.CONSUMER), hour)).as("not counted").isZero();

        PlanRule unlimited = Calls.plan(0, 0, 0);
        AccountRule admin = new AccountRule(Calls.CONSUMER, "free", false, true);
        for (int i = 0; i < 3; i++) {
            CallContext call = Calls.admitted(unlimited, admin, NOW);
            assertThat(limiting.apply(call)).isNull();
            assertThat(call.responseHeaders).isEmpty();
        }
        AccountRule consumer = new AccountRule(Calls.CONSUMER, "free", false);
        assertThat(limiting.apply(Calls.admitted(unlimited, consumer, NOW))).isNull();
        assertThat(limiting.apply(Calls.admitted(unlimited, consumer, NOW)).detail()).contains("free tier");
    }
}
