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
}
