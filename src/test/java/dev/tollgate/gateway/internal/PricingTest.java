package dev.tollgate.gateway.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.tollgate.gateway.ApiRoute;
import dev.tollgate.gateway.PlanRule;
import dev.tollgate.gateway.Upstream;

import static org.assertj.core.api.Assertions.assertThat;

class PricingTest {

    private final Pricing pricing = new Pricing(new FixedWindowCounters());
    private final UUID subscription = UUID.randomUUID();

    private CallContext call(PlanRule plan, long periodStart, long periodEnd, long now) {
        ApiRoute api = new ApiRoute(Calls.API, "svc", UUID.randomUUID(), Upstream.parse("http://127.0.0.1:9"), false,
                true, 30_000, 0, Map.of(plan.id(), plan), Map.of(Calls.CONSUMER,
                        new ApiRoute.Subscription(subscription, Calls.CONSUMER, plan.id(), 0, periodStart, periodEnd)));
        CallContext call = Calls.call(Calls.state(List.of(api), List.of(), List.of()), "svc", Map.of(), now);
        call.api = api;
        call.key = Calls.key(Set.of(), 0);
        call.subscription = api.subscriptionsByConsumer().get(Calls.CONSUMER);
        call.plan = plan;
        assertThat(pricing.apply(call)).isNull();
        return call;
    }

    @Test
    void pay_per_call_costs_its_price_and_free_plans_nothing() {
        assertThat(call(new PlanRule(Calls.PLAN, "pay_per_call", 0, 0, 0, 2_500, 0), 0, 0, 5).priceMicros)
                .isEqualTo(2_500);
        assertThat(call(new PlanRule(Calls.PLAN, "free", 0, 0, 0, 0, 0), 0, 0, 5).priceMicros).isZero();
    }

    @Test
    void subscription_calls_are_free_up_to_the_included_ones_then_cost_the_overage_price() {
        PlanRule plan = new PlanRule(Calls.PLAN, "subscription", 0, 0, 0, 500_000, 2);
        CallContext first = call(plan, 1_000, 9_000, 2_000);
        assertThat(first.priceMicros).isZero();
        assertThat(first.responseHeader("X-Included-Calls-Remaining")).isEqualTo("1");
        assertThat(call(plan, 1_000, 9_000, 2_000).priceMicros).isZero();
        CallContext third = call(plan, 1_000, 9_000, 2_000);
        assertThat(third.priceMicros).isEqualTo(500_000);
        assertThat(third.responseHeader("X-Included-Calls-Limit")).isEqualTo("2");
        assertThat(third.responseHeader("X-Included-Calls-Remaining")).isEqualTo("0");
        // the next period includes calls again
        assertThat(call(plan, 9_000, 17_000, 9_500).priceMicros).isZero();
    }

    @Test
    void an_included_call_of_a_refused_call_is_given_back() {
        PlanRule plan = new PlanRule(Calls.PLAN, "subscription", 0, 0, 0, 500_000, 1);
        CallContext refused = call(plan, 1_000, 9_000, 2_000);
        assertThat(refused.priceMicros).isZero();
        refused.giveBack();
        refused.giveBack();
        CallContext next = call(plan, 1_000, 9_000, 2_000);
        assertThat(next.priceMicros).as("the included call is still there").isZero();
        assertThat(call(plan, 1_000, 9_000, 2_000).priceMicros).isEqualTo(500_000);
    }

    @Test
    void without_included_calls_every_call_costs_the_overage_price_and_without_a_price_nothing() {
        assertThat(call(new PlanRule(Calls.PLAN, "subscription", 0, 0, 0, 300, 0), 0, 100, 50).priceMicros)
                .isEqualTo(300);
        assertThat(call(new PlanRule(Calls.PLAN, "subscription", 0, 0, 0, 0, 1), 0, 100, 50).priceMicros).isZero();
        assertThat(call(new PlanRule(Calls.PLAN, "subscription", 0, 0, 0, 0, 1), 0, 100, 50).priceMicros).isZero();
    }
}
