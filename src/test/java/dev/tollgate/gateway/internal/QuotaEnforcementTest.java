package dev.tollgate.gateway.internal;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.tollgate.gateway.PlanRule;
import dev.tollgate.platform.ProblemException;

import static org.assertj.core.api.Assertions.assertThat;

class QuotaEnforcementTest {

    private static final long DEC_31 = Instant.parse("2026-12-31T23:59:59Z").toEpochMilli();
    private static final long JAN_1 = Instant.parse("2027-01-01T00:00:00Z").toEpochMilli();

    private final QuotaEnforcement quota = new QuotaEnforcement(new FixedWindowCounters());

    @Test
    void without_a_quota_nothing_is_said() {
        CallContext call = Calls.admitted(Calls.plan(0, 0, 0), null, DEC_31);
        assertThat(quota.apply(call)).isNull();
        assertThat(call.responseHeaders).isEmpty();
    }

    @Test
    void the_quota_lets_n_calls_through_in_a_calendar_month_and_renews_on_the_first() {
        PlanRule plan = Calls.plan(0, 0, 2);
        CallContext first = Calls.admitted(plan, null, DEC_31 - 1_000);
        assertThat(quota.apply(first)).isNull();
        assertThat(first.responseHeader("X-Quota-Limit")).isEqualTo("2");
        assertThat(first.responseHeader("X-Quota-Remaining")).isEqualTo("1");
        assertThat(first.responseHeader("X-Quota-Reset")).isEqualTo("2");
        assertThat(quota.apply(Calls.admitted(plan, null, DEC_31))).isNull();

        CallContext over = Calls.admitted(plan, null, DEC_31);
        ProblemException problem = quota.apply(over);
        assertThat(problem.status()).isEqualTo(429);
        assertThat(problem.title()).isEqualTo("Quota Exceeded");
        assertThat(problem.headers()).containsEntry("Retry-After", "1");
        assertThat(over.responseHeader("X-Quota-Remaining")).isEqualTo("0");

        CallContext january = Calls.admitted(plan, null, JAN_1);
        assertThat(quota.apply(january)).isNull();
        assertThat(january.responseHeader("X-Quota-Remaining")).isEqualTo("1");
        assertThat(january.responseHeader("X-Quota-Reset")).isEqualTo(Long.toString(31L * 24 * 3600));
    }

    @Test
    void a_call_refused_later_gives_its_quota_unit_back() {
        PlanRule plan = Calls.plan(0, 0, 2);
        CallContext refusedLater = Calls.admitted(plan, null, DEC_31);
        assertThat(quota.apply(refusedLater)).isNull();
        assertThat(refusedLater.responseHeader("X-Quota-Remaining")).isEqualTo("1");
        refusedLater.giveBack();
        refusedLater.giveBack();
        for (int remaining = 1; remaining >= 0; remaining--) {
            CallContext call = Calls.admitted(plan, null, DEC_31);
            assertThat(quota.apply(call)).isNull();
            assertThat(call.responseHeader("X-Quota-Remaining")).isEqualTo(Integer.toString(remaining));
        }
        assertThat(quota.apply(Calls.admitted(plan, null, DEC_31)).status()).isEqualTo(429);
    }

    @Test
    void months_are_utc_calendar_months() {
        QuotaEnforcement.Month february = QuotaEnforcement.Month.of(Instant.parse("2028-02-29T12:00:00Z")
                .toEpochMilli());
        assertThat(Instant.ofEpochMilli(february.start())).isEqualTo(Instant.parse("2028-02-01T00:00:00Z"));
        assertThat(Instant.ofEpochMilli(february.end())).isEqualTo(Instant.parse("2028-03-01T00:00:00Z"));
        assertThat(quota.monthStart(JAN_1 - 1)).isEqualTo(Instant.parse("2026-12-01T00:00:00Z").toEpochMilli());
        assertThat(quota.monthStart(JAN_1)).isEqualTo(JAN_1);
    }
}
