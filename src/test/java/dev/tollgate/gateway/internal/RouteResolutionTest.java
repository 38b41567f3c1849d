package dev.tollgate.gateway.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.tollgate.gateway.AccountRule;
import dev.tollgate.gateway.ApiRoute;
import dev.tollgate.gateway.GatewayState;
import dev.tollgate.platform.ProblemException;

import static org.assertj.core.api.Assertions.assertThat;

class RouteResolutionTest {

    private final ApiRoute weather = Calls.api("weather", false, Calls.plan(0, 0, 0), true);
    private final GatewayState state = Calls.state(List.of(weather), List.of(), List.of());

    private static CallContext call(GatewayState state, String slug, AccountRule account) {
        CallContext call = Calls.call(state, slug, Map.of(), 0);
        call.key = Calls.key(Set.of(), 0);
        call.account = account;
        return call;
    }

    @Test
    void finds_the_api_by_its_slug() {
        CallContext call = call(state, "weather", null);
        assertThat(new RouteResolution().apply(call)).isNull();
        assertThat(call.api).isSameAs(weather);
    }

    @Test
    void an_unknown_slug_is_404_naming_it() {
        CallContext call = call(state, "Weather", null);
        ProblemException problem = new RouteResolution().apply(call);
        assertThat(problem.status()).isEqualTo(404);
        assertThat(problem.detail()).contains("/gw/Weather");
        assertThat(call.api).isNull();
    }

    @Test
    void a_private_api_is_404_like_an_unknown_slug_except_for_its_owner_subscribers_and_admins() {
        ApiRoute hidden = Calls.api("hidden", UUID.randomUUID(), false, 0, false, Calls.plan(0, 0, 0), false);
        ApiRoute owned = Calls.api("owned", Calls.CONSUMER, false, 0, false, Calls.plan(0, 0, 0), false);
        ApiRoute subscribed = Calls.api("subscribed", UUID.randomUUID(), false, 0, false, Calls.plan(0, 0, 0), true);
        GatewayState state = Calls.state(List.of(hidden, owned, subscribed), List.of(), List.of());

        ProblemException stranger = new RouteResolution().apply(call(state, "hidden", null));
        ProblemException unknown = new RouteResolution().apply(call(state, "hiddem", null));
        assertThat(stranger.status()).isEqualTo(unknown.status()).isEqualTo(404);
        assertThat(stranger.title()).isEqualTo(unknown.title());
        assertThat(stranger.detail()).isEqualTo(unknown.detail().replace("hiddem", "hidden"));
        assertThat(stranger.extensions()).isEqualTo(unknown.extensions());
        assertThat(stranger.headers()).isEqualTo(unknown.headers());

        assertThat(new RouteResolution().apply(call(state, "owned", null))).isNull();
        assertThat(new RouteResolution().apply(call(state, "subscribed", null))).isNull();
        assertThat(new RouteResolution().apply(call(state, "hidden",
                new AccountRule(Calls.CONSUMER, "free", false, true)))).isNull();
    }
}
