package dev.tollgate.gateway.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.tollgate.gateway.ApiKeyRule;
import dev.tollgate.gateway.ApiRoute;
import dev.tollgate.gateway.PlanRule;
import dev.tollgate.platform.ProblemException;

import static org.assertj.core.api.Assertions.assertThat;

class AccessCheckTest {

    private static CallContext call(ApiRoute api, ApiKeyRule key) {
        CallContext call = Calls.call(Calls.state(List.of(api), List.of(key), List.of()), api.slug(), Map.of(), 0);
        call.api = api;
        call.key = key;
        return call;
    }

    @Test
    void a_subscribed_key_for_every_api_or_scoped_to_this_one_goes_on_with_its_plan() {
        PlanRule plan = Calls.plan(10, 1000, 0);
        ApiRoute api = Calls.api("svc", false, plan, true);
        for (ApiKeyRule key : List.of(Calls.key(Set.of(), 0), Calls.key(Set.of(Calls.API), 0))) {
            CallContext call = call(api, key);
            assertThat(new AccessCheck().apply(call)).isNull();
            assertThat(call.plan).isEqualTo(plan);
            assertThat(call.subscription.consumerId()).isEqualTo(Calls.CONSUMER);
        }
    }

    @Test
    void a_key_scoped_to_other_apis_is_403() {
        ApiRoute api = Calls.api("svc", false, Calls.plan(0, 0, 0), true);
        ProblemException problem = new AccessCheck().apply(call(api, Calls.key(Set.of(UUID.randomUUID()), 0)));
        assertThat(problem.status()).isEqualTo(403);
        assertThat(problem.detail()).contains("not scoped");
    }

    @Test
    void without_a_subscription_it_is_403() {
        ApiRoute api = Calls.api("svc", false, Calls.plan(0, 0, 0), false);
        ProblemException problem = new AccessCheck().apply(call(api, Calls.key(Set.of(), 0)));
        assertThat(problem.status()).isEqualTo(403);
        assertThat(problem.detail()).contains("not subscribed");
    }

    @Test
    void a_subscription_to_a_plan_no_longer_offered_is_403() {
        ApiRoute api = Calls.api("svc", false, null, true);
        ProblemException problem = new AccessCheck().apply(call(api, Calls.key(Set.of(), 0)));
        assertThat(problem.status()).isEqualTo(403);
        assertThat(problem.detail()).contains("no longer offered");
    }

    @Test
    void a_past_due_subscription_passes_during_its_grace_period_and_is_402_after() {
        PlanRule plan = Calls.plan(0, 0, 0);
        ApiRoute api = new ApiRoute(Calls.API, "svc", UUID.randomUUID(), dev.tollgate.gateway.Upstream.parse(
                "http://127.0.0.1:9"), false, true, 30_000, 0, Map.of(plan.id(), plan),
                Map.of(Calls.CONSUMER,
                        new ApiRoute.Subscription(UUID.randomUUID(), Calls.CONSUMER, Calls.PLAN, 1_000, 0, 0)));
        CallContext during = Calls.call(Calls.state(List.of(api), List.of(), List.of()), "svc", Map.of(), 999);
        during.api = api;
        during.key = Calls.key(Set.of(), 0);
        assertThat(new AccessCheck().apply(during)).isNull();
        CallContext after = Calls.call(Calls.state(List.of(api), List.of(), List.of()), "svc", Map.of(), 1_000);
        after.api = api;
        after.key = Calls.key(Set.of(), 0);
        ProblemException problem = new AccessCheck().apply(after);
        assertThat(problem.status()).isEqualTo(402);
        assertThat(problem.detail()).contains("past due");
    }
}
