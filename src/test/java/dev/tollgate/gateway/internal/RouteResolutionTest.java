package dev.tollgate.gateway.internal;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tollgate.gateway.ApiRoute;
import dev.tollgate.gateway.GatewayState;
import dev.tollgate.platform.ProblemException;

import static org.assertj.core.api.Assertions.assertThat;

class RouteResolutionTest {

    private final ApiRoute weather = Calls.api("weather", false, Calls.plan(0, 0, 0), true);
    private final GatewayState state = Calls.state(List.of(weather), List.of(), List.of());

    @Test
    void finds_the_api_by_its_slug() {
        CallContext call = Calls.call(state, "weather", Map.of(), 0);
        assertThat(new RouteResolution().apply(call)).isNull();
        assertThat(call.api).isSameAs(weather);
    }

    @Test
    void an_unknown_slug_is_404_naming_it() {
        CallContext call = Calls.call(state, "Weather", Map.of(), 0);
        ProblemException problem = new RouteResolution().apply(call);
        assertThat(problem.status()).isEqualTo(404);
        assertThat(problem.detail()).contains("/gw/Weather");
        assertThat(call.api).isNull();
    }
}
