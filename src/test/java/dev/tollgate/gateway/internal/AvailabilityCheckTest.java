package dev.tollgate.gateway.internal;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tollgate.platform.ProblemException;

import static org.assertj.core.api.Assertions.assertThat;

class AvailabilityCheckTest {

    @Test
    void an_active_api_goes_on() {
        CallContext call = Calls.call(Calls.state(List.of(), List.of(), List.of()), "svc", Map.of(), 0);
        call.api = Calls.api("svc", false, Calls.plan(0, 0, 0), true);
        assertThat(new AvailabilityCheck().apply(call)).isNull();
    }

    @Test
    void a_paused_api_is_503_saying_so() {
        CallContext call = Calls.call(Calls.state(List.of(), List.of(), List.of()), "svc", Map.of(), 0);
        call.api = Calls.api("svc", true, Calls.plan(0, 0, 0), true);
        ProblemException problem = new AvailabilityCheck().apply(call);
        assertThat(problem.status()).isEqualTo(503);
        assertThat(problem.detail()).contains("'svc' is paused");
    }
}
